package io.aftercare.simulator.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The load test's telemetry document, {@code {"ts":…,"metrics":{"load_0":…,"load_1":…}}}, or a
 * batch of them as the contract's JSON array (document {@code k} stamped {@code ts + k} ms),
 * written as ASCII straight into a buffer. At tens of thousands of messages a second, building a
 * String per message and encoding it again was a noticeable share of the generator's own CPU.
 */
final class TelemetryDocument {

  private static final byte[] OPEN = ascii("{\"ts\":");
  private static final byte[] METRICS = ascii(",\"metrics\":{");
  private static final byte[] CLOSE = ascii("}}");

  /** {@code "load_0":}, {@code ,"load_1":}… */
  private final byte[][] names;

  private final int documents;

  TelemetryDocument(int metrics) {
    this(metrics, 1);
  }

  /** {@code documents} greater than 1 makes each message a batch of that many documents. */
  TelemetryDocument(int metrics, int documents) {
    this.documents = documents;
    names = new byte[metrics][];
    for (int i = 0; i < metrics; i++) {
      names[i] = ascii((i == 0 ? "" : ",") + "\"load_" + i + "\":");
    }
  }

  /** Documents in one message; its timestamps are {@code ts} to {@code ts + documents - 1}. */
  int documents() {
    return documents;
  }

  /**
   * Appends the message for timestamp {@code ts}: one document, or a batch; metric {@code i} of the
   * document stamped {@code t} has {@code t % 1000 + i}.
   */
  void writeTo(ByteBuf out, long ts) {
    if (documents == 1) {
      writeDocument(out, ts);
      return;
    }
    out.writeByte('[');
    for (int k = 0; k < documents; k++) {
      if (k > 0) {
        out.writeByte(',');
      }
      writeDocument(out, ts + k);
    }
    out.writeByte(']');
  }

  private void writeDocument(ByteBuf out, long ts) {
    out.writeBytes(OPEN);
    writeDecimal(out, ts);
    out.writeBytes(METRICS);
    for (int i = 0; i < names.length; i++) {
      out.writeBytes(names[i]);
      writeDecimal(out, ts % 1000 + i);
    }
    out.writeBytes(CLOSE);
  }

  /** What {@link #writeTo} writes, in bytes: MQTT puts the length before the document. */
  int length(long ts) {
    if (documents == 1) {
      return documentLength(ts);
    }
    int length = 2 + documents - 1;
    for (int k = 0; k < documents; k++) {
      length += documentLength(ts + k);
    }
    return length;
  }

  private int documentLength(long ts) {
    int length = OPEN.length + digits(ts) + METRICS.length + CLOSE.length;
    for (int i = 0; i < names.length; i++) {
      length += names[i].length + digits(ts % 1000 + i);
    }
    return length;
  }

  /** The document as a byte array, for clients that take one (Californium). */
  byte[] bytes(long ts) {
    byte[] bytes = new byte[length(ts)];
    writeTo(Unpooled.wrappedBuffer(bytes).clear(), ts);
    return bytes;
  }

  private static void writeDecimal(ByteBuf out, long value) {
    if (value < 0) {
      out.writeByte('-');
      value = -value;
    }
    long divisor = 1;
    while (divisor <= value / 10) {
      divisor *= 10;
    }
    for (; divisor > 0; divisor /= 10) {
      out.writeByte((int) ('0' + value / divisor % 10));
    }
  }

  private static int digits(long value) {
    int digits = value < 0 ? 2 : 1;
    for (long rest = Math.abs(value); rest >= 10; rest /= 10) {
      digits++;
    }
    return digits;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
