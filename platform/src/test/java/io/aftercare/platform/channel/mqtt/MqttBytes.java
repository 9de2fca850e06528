package io.aftercare.platform.channel.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds MQTT packets byte by byte, so tests can write what no client library would send. */
final class MqttBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static MqttBytes of() {
    return new MqttBytes();
  }

  /** A whole packet: the first byte, the Remaining Length, then {@code body}. */
  static byte[] packet(int firstByte, MqttBytes body) {
    byte[] content = body.bytes();
    return of().u8(firstByte).varInt(content.length).raw(content).bytes();
  }

  MqttBytes u8(int... values) {
    for (int value : values) {
      out.write(value);
    }
    return this;
  }

  MqttBytes u16(int value) {
    return u8(value >>> 8, value & 0xFF);
  }

  MqttBytes u32(long value) {
    return u8((int) (value >>> 24) & 0xFF, (int) (value >>> 16) & 0xFF)
        .u8((int) (value >>> 8) & 0xFF, (int) value & 0xFF);
  }

  MqttBytes varInt(int value) {
    int rest = value;
    do {
      int digit = rest % 128;
      rest /= 128;
      out.write(rest > 0 ? digit | 0x80 : digit);
    } while (rest > 0);
    return this;
  }

  MqttBytes utf8(String text) {
    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
    return u16(encoded.length).raw(encoded);
  }

  MqttBytes binary(byte[] data) {
    return u16(data.length).raw(data);
  }

  MqttBytes raw(byte[] data) {
    out.write(data, 0, data.length);
    return this;
  }

  /** A property list: its length, then {@code properties}. */
  MqttBytes properties(MqttBytes properties) {
    byte[] content = properties.bytes();
    return varInt(content.length).raw(content);
  }

  /** An empty property list on MQTT 5 ({@code level} 5), nothing on 3.1.1. */
  MqttBytes properties5(int level) {
    return level == 5 ? u8(0) : this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
