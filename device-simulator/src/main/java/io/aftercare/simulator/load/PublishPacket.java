package io.aftercare.simulator.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;

/**
 * One device's telemetry PUBLISH, encoded straight into one buffer: fixed header, topic, packet id
 * and the document written in place. Netty's MqttEncoder builds the same bytes from a message
 * object, re-encoding the topic as UTF-8 and copying the payload, for every message.
 */
final class PublishPacket {

  private static final int PUBLISH = 3;

  private final int firstByte;
  private final boolean hasPacketId;

  /** The topic as MQTT writes it: two bytes of length, then UTF-8. */
  private final byte[] topic;

  private final TelemetryDocument document;

  PublishPacket(String topic, MqttQoS qos, TelemetryDocument document) {
    byte[] utf8 = topic.getBytes(StandardCharsets.UTF_8);
    this.topic = new byte[2 + utf8.length];
    this.topic[0] = (byte) (utf8.length >> 8);
    this.topic[1] = (byte) utf8.length;
    System.arraycopy(utf8, 0, this.topic, 2, utf8.length);
    this.firstByte = PUBLISH << 4 | qos.value() << 1;
    this.hasPacketId = qos != MqttQoS.AT_MOST_ONCE;
    this.document = document;
  }

  /**
   * @param packetId ignored at QoS 0, which has none
   */
  ByteBuf encode(ByteBufAllocator allocator, int packetId, long ts) {
    int remaining = topic.length + (hasPacketId ? 2 : 0) + document.length(ts);
    ByteBuf out = allocator.buffer(1 + 4 + remaining);
    out.writeByte(firstByte);
    writeRemainingLength(out, remaining);
    out.writeBytes(topic);
    if (hasPacketId) {
      out.writeShort(packetId);
    }
    document.writeTo(out, ts);
    return out;
  }

  /** MQTT's variable-length integer: seven bits a byte, the high bit saying more follow. */
  private static void writeRemainingLength(ByteBuf out, int length) {
    do {
      int digit = length & 0x7f;
      length >>>= 7;
      out.writeByte(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
  }
}
