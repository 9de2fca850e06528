package io.aftercare.gateway.ingest;

import io.aftercare.domain.Telemetry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.postgresql.copy.CopyIn;

/**
 * Telemetry rows {@code (device_id, metric, ts, value)} in PostgreSQL's binary COPY format, built
 * in one reusable buffer.
 *
 * <p>Binary, not text: the server need not parse timestamps and doubles back from strings, and the
 * writer need not print them, which together were the largest share of the ingest CPU. The buffer
 * is reused across batches, so a batch allocates nothing per row. The benchmark's ceiling writes
 * its file with the same encoder.
 */
public final class BinaryCopyRows {

  /** The signature "PGCOPY\n\377\r\n\0", then flags (none) and header extension length (0). */
  private static final byte[] HEADER =
      ByteBuffer.allocate(19)
          .put("PGCOPY\n".getBytes(StandardCharsets.US_ASCII))
          .put(new byte[] {(byte) 0xFF, '\r', '\n', 0})
          .putInt(0)
          .putInt(0)
          .array();

  private static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};

  private static final short FIELDS = 4;

  /** PostgreSQL's timestamp epoch, 2000-01-01T00:00:00Z, in microseconds after the Unix epoch. */
  private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

  private byte[] buffer = new byte[64 * 1024];
  private int length;
  private int rows;

  /** Starts a new set of rows, keeping the buffer. */
  public void clear() {
    length = 0;
    rows = 0;
    put(HEADER);
  }

  public int rows() {
    return rows;
  }

  /** Adds one row per metric of each document. */
  void add(Uplink.TelemetryBatch telemetry) {
    String deviceId = telemetry.deviceId();
    for (Telemetry document : telemetry.documents()) {
      long micros = postgresMicros(document.ts());
      for (Map.Entry<String, Double> metric : document.metrics().entrySet()) {
        addRow(deviceId, metric.getKey(), micros, metric.getValue());
      }
    }
  }

  /** Adds one row; {@code deviceId} and {@code metric} must follow the contract's grammars. */
  public void add(String deviceId, String metric, Instant ts, double value) {
    addRow(deviceId, metric, postgresMicros(ts), value);
  }

  /** Sends the rows, then the trailer, to a started COPY; the rows stay for another COPY. */
  void writeTo(CopyIn copy) throws SQLException {
    copy.writeToCopy(buffer, 0, length);
    copy.writeToCopy(TRAILER, 0, TRAILER.length);
  }

  /** Writes the rows, then the trailer, as a file {@code COPY ... FROM} can read. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(buffer, 0, length);
    out.write(TRAILER);
  }

  private void addRow(String deviceId, String metric, long micros, double value) {
    putShort(FIELDS);
    putAscii(deviceId);
    putAscii(metric);
    putInt(8);
    putLong(micros);
    putInt(8);
    putLong(Double.doubleToLongBits(value));
    rows++;
  }

  private static long postgresMicros(Instant ts) {
    return ts.getEpochSecond() * 1_000_000L + ts.getNano() / 1_000 - POSTGRES_EPOCH_MICROS;
  }

  /**
   * Device ids and metric names are ASCII by the contract's grammars ({@code Identifiers}), so each
   * char is one byte of UTF-8 and needs no encoder.
   */
  private void putAscii(String text) {
    int n = text.length();
    putInt(n);
    ensure(n);
    for (int i = 0; i < n; i++) {
      buffer[length++] = (byte) text.charAt(i);
    }
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  private void putShort(short value) {
    ensure(2);
    buffer[length++] = (byte) (value >>> 8);
    buffer[length++] = (byte) value;
  }

  private void putInt(int value) {
    ensure(4);
    buffer[length++] = (byte) (value >>> 24);
    buffer[length++] = (byte) (value >>> 16);
    buffer[length++] = (byte) (value >>> 8);
    buffer[length++] = (byte) value;
  }

  private void putLong(long value) {
    putInt((int) (value >>> 32));
    putInt((int) value);
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}
