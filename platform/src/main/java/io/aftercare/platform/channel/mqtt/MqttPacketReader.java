package io.aftercare.platform.channel.mqtt;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the MQTT data types (section 1.5 of MQTT 5, 1.5 of 3.1.1) from one packet's variable header
 * and payload; running past the packet's end or a badly encoded value is a malformed packet.
 *
 * <p>It reads a range of the connection's buffer in place, by index, and leaves that buffer's
 * reader index alone: every packet of every connection passes through here before vertx-mqtt
 * decodes it, so a slice (or a string) per packet would be garbage per message.
 */
final class MqttPacketReader {

  private final ByteBuf bytes;
  private int position;
  private final int end;

  /** Reads the {@code length} bytes of {@code bytes} from index {@code from}. */
  MqttPacketReader(ByteBuf bytes, int from, int length) {
    this.bytes = bytes;
    this.position = from;
    this.end = from + length;
  }

  boolean hasRemaining() {
    return position < end;
  }

  int remaining() {
    return end - position;
  }

  int u8() throws MqttViolation {
    need(1);
    return bytes.getUnsignedByte(position++);
  }

  int u16() throws MqttViolation {
    need(2);
    int value = bytes.getUnsignedShort(position);
    position += 2;
    return value;
  }

  long u32() throws MqttViolation {
    need(4);
    long value = bytes.getUnsignedInt(position);
    position += 4;
    return value;
  }

  /** A Variable Byte Integer: at most four bytes. */
  int varInt() throws MqttViolation {
    int value = 0;
    for (int shift = 0; shift < 28; shift += 7) {
      int digit = u8();
      value |= (digit & 0x7F) << shift;
      if ((digit & 0x80) == 0) {
        if (digit == 0 && shift > 0) {
          throw MqttViolation.malformed(
              "variable byte integer not in the fewest bytes [MQTT-1.5.5-1]");
        }
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
      String text = bytes.toString(position, length, StandardCharsets.US_ASCII);
      position += length;
      return text;
    }
    return decodeUtf8(length);
  }

  /**
   * A PUBLISH's Topic Name, checked and skipped: a well-formed UTF-8 string, not empty, without
   * wildcards ([MQTT-3.3.2-1], [MQTT-3.3.2-2]). Plain ASCII names, nearly all of them, are checked
   * where they lie, without a string.
   */
  boolean skipTopicName() throws MqttViolation {
    int length = u16();
    need(length);
    if (isPlainAscii(length)) {
      int from = position;
      position += length;
      return length > 0
          && bytes.indexOf(from, from + length, (byte) '+') < 0
          && bytes.indexOf(from, from + length, (byte) '#') < 0;
    }
    return MqttTopics.isValidName(decodeUtf8(length));
  }

  private String decodeUtf8(int length) throws MqttViolation {
    ByteBuffer encoded = bytes.nioBuffer(position, length);
    position += length;
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
    for (int i = position; i < position + length; i++) {
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
    position += length;
  }

  /** The next {@code length} bytes as a reader of their own (a property list). */
  MqttPacketReader take(int length) throws MqttViolation {
    need(length);
    MqttPacketReader taken = new MqttPacketReader(bytes, position, length);
    position += length;
    return taken;
  }

  private void need(int count) throws MqttViolation {
    if (end - position < count) {
      throw MqttViolation.malformed("packet ends in the middle of a field");
    }
  }
}
