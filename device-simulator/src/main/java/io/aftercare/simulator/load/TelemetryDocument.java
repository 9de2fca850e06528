package io.aftercare.simulator.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The load test's telemetry document, {@code {"ts":…,"metrics":{"load_0":…,"load_1":…}}}, written
 * as ASCII straight into a buffer. At tens of thousands of messages a second, building a String per
 * message and encoding it again was a noticeable share of the generator's own CPU.
 */
final class TelemetryDocument {

  private static final byte[] OPEN = ascii("{\"ts\":");
  private static final byte[] METRICS = ascii(",\"metrics\":{");
  private static final byte[] CLOSE = ascii("}}");

  /** {@code "load_0":}, {@code ,"load_1":}… */
  private final byte[][] names;

  TelemetryDocument(int metrics) {
    names = new byte[metrics][];
    for (int i = 0; i < metrics; i++) {
      names[i] = ascii((i == 0 ? "" : ",") + "\"load_" + i + "\":");
    }
  }

  /**
   * The document for timestamp {@code ts}; metric {@code i} has the value {@code ts % 1000 + i}.
   */
  ByteBuf write(ByteBufAllocator allocator, long ts) {
    ByteBuf out = allocator.buffer(OPEN.length + METRICS.length + CLOSE.length + names.length * 16);
    out.writeBytes(OPEN);
    writeDecimal(out, ts);
    out.writeBytes(METRICS);
    for (int i = 0; i < names.length; i++) {
      out.writeBytes(names[i]);
      writeDecimal(out, ts % 1000 + i);
    }
    return out.writeBytes(CLOSE);
  }

  /** The document as a byte array, for clients that take one (Californium). */
  byte[] bytes(long ts) {
    ByteBuf buffer = write(UnpooledByteBufAllocator.DEFAULT, ts);
    try {
      return ByteBufUtil.getBytes(buffer);
    } finally {
      buffer.release();
    }
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

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
