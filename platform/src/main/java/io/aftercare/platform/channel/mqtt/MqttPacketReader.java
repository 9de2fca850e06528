package io.aftercare.platform.channel.mqtt;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the MQTT data types (section 1.5 of MQTT 5, 1.5 of 3.1.1) from one packet's variable header
 * and payload; running past the packet's end or a badly encoded value is a malformed packet.
 */
final class MqttPacketReader {

  private final ByteBuf bytes;

  MqttPacketReader(ByteBuf bytes) {
    this.bytes = bytes;
  }

  boolean hasRemaining() {
    return bytes.isReadable();
  }

  int remaining() {
    return bytes.readableBytes();
  }

  int u8() throws MqttViolation {
    need(1);
    return bytes.readUnsignedByte();
  }

  int u16() throws MqttViolation {
    need(2);
    return bytes.readUnsignedShort();
  }

  long u32() throws MqttViolation {
    need(4);
    return bytes.readUnsignedInt();
  }

  /** A Variable Byte Integer: at most four bytes. */
  int varInt() throws MqttViolation {
    int value = 0;
    for (int shift = 0; shift < 28; shift += 7) {
      int digit = u8();
      value |= (digit & 0x7F) << shift;
      if ((digit & 0x80) == 0) {
        return value;
      }
    }
    throw MqttViolation.malformed("variable byte integer longer than 4 bytes");
  }

  /** A UTF-8 Encoded String: well-formed UTF-8 without U+0000 ([MQTT-1.5.4-1], [MQTT-1.5.4-2]). */
  String utf8() throws MqttViolation {
    int length = u16();
    need(length);
    if (isPlainAscii(length)) {
      // The common case (topics, ids) needs no decoder: one pass, one string.
      String text = bytes.toString(bytes.readerIndex(), length, StandardCharsets.US_ASCII);
      bytes.skipBytes(length);
      return text;
    }
    ByteBuffer encoded = bytes.nioBuffer(bytes.readerIndex(), length);
    bytes.skipBytes(length);
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(encoded)
              .toString();
    } catch (CharacterCodingException e) {
      throw MqttViolation.malformed("string is not well-formed UTF-8");
    }
    if (text.indexOf('\u0000') >= 0) {
      throw MqttViolation.malformed("string contains U+0000");
    }
    return text;
  }

  /** Whether the next {@code length} bytes are all in U+0001..U+007F. */
  private boolean isPlainAscii(int length) {
    int start = bytes.readerIndex();
    for (int i = start; i < start + length; i++) {
      byte b = bytes.getByte(i);
      if (b <= 0) {
        return false;
      }
    }
    return true;
  }

  /** Binary Data: a two-byte length and that many bytes, skipped. */
  void skipBinary() throws MqttViolation {
    int length = u16();
    need(length);
    bytes.skipBytes(length);
  }

  /** The next {@code length} bytes as a reader of their own (a property list). */
  MqttPacketReader take(int length) throws MqttViolation {
    need(length);
    return new MqttPacketReader(bytes.readSlice(length));
  }

  private void need(int count) throws MqttViolation {
    if (bytes.readableBytes() < count) {
      throw MqttViolation.malformed("packet ends in the middle of a field");
    }
  }
}
