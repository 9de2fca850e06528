package io.aftercare.platform.ingest;

import com.fasterxml.jackson.core.io.NumberOutput;
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
 * Telemetry documents as rows {@code (device_id, ts, metrics)} of {@code telemetry_documents} in
 * PostgreSQL's binary COPY format, built in one reusable buffer.
 *
 * <p>Binary, not text: the server need not parse timestamps back from strings, and the writer need
 * not print them. The metrics go as a {@code jsonb} value, which on the wire is a version byte and
 * the JSON text. The buffer is reused across batches, so a batch allocates little per row. The
 * benchmark's ceiling writes its file with the same encoder.
 */
public final class BinaryCopyDocuments {

  /** The signature "PGCOPY\n\377\r\n\0", then flags (none) and header extension length (0). */
  private static final byte[] HEADER =
      ByteBuffer.allocate(19)
          .put("PGCOPY\n".getBytes(StandardCharsets.US_ASCII))
          .put(new byte[] {(byte) 0xFF, '\r', '\n', 0})
          .putInt(0)
          .putInt(0)
          .array();

  private static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};

  private static final short FIELDS = 3;

  /** The only version of jsonb's binary format: the JSON text follows. */
  private static final byte JSONB_VERSION = 1;

  /** PostgreSQL's timestamp epoch, 2000-01-01T00:00:00Z, in microseconds after the Unix epoch. */
  private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

  private byte[] buffer = new byte[64 * 1024];
  private int length;
  private int rows;
  private int points;

  /** Starts a new set of rows, keeping the buffer. */
  public void clear() {
    length = 0;
    rows = 0;
    points = 0;
    put(HEADER);
  }

  /** Documents added since {@link #clear}. */
  public int rows() {
    return rows;
  }

  /** Metrics of all documents added since {@link #clear}. */
  public int points() {
    return points;
  }

  /**
   * Adds one document; {@code deviceId} and the metric names must follow the contract's grammars
   * and the values be finite, as the gateway's validation ensures.
   */
  public void add(String deviceId, Instant ts, Map<String, Double> metrics) {
    putShort(FIELDS);
    putAscii(deviceId);
    putInt(8);
    putLong(postgresMicros(ts));
    putJsonb(metrics);
    rows++;
    points += metrics.size();
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

  /**
   * {@code {"name":value,...}}: names need no escaping by their grammar ({@code [a-z][a-z0-9_]*}),
   * and each value is the shortest decimal that reads back as the same double (Jackson's Schubfach
   * writer, the algorithm of Java 19's {@link Double#toString}): a JSON number. Java 17's own
   * {@code Double.toString} was the single largest cost of the writer thread.
   */
  private void putJsonb(Map<String, Double> metrics) {
    int lengthAt = length;
    putInt(0);
    int start = length;
    putByte(JSONB_VERSION);
    putByte('{');
    boolean first = true;
    for (Map.Entry<String, Double> metric : metrics.entrySet()) {
      if (!first) {
        putByte(',');
      }
      first = false;
      putByte('"');
      putChars(metric.getKey());
      putByte('"');
      putByte(':');
      putChars(NumberOutput.toString(metric.getValue(), true));
    }
    putByte('}');
    int fieldLength = length - start;
    buffer[lengthAt] = (byte) (fieldLength >>> 24);
    buffer[lengthAt + 1] = (byte) (fieldLength >>> 16);
    buffer[lengthAt + 2] = (byte) (fieldLength >>> 8);
    buffer[lengthAt + 3] = (byte) fieldLength;
  }

  private static long postgresMicros(Instant ts) {
    return ts.getEpochSecond() * 1_000_000L + ts.getNano() / 1_000 - POSTGRES_EPOCH_MICROS;
  }

  /**
   * Device ids and metric names are ASCII by the contract's grammars ({@code Identifiers}), as are
   * printed doubles, so each char is one byte of UTF-8 and needs no encoder.
   */
  private void putAscii(String text) {
    putInt(text.length());
    putChars(text);
  }

  /** ASCII text as is, one byte a char, without a length. */
  private void putChars(String text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buffer[length++] = (byte) text.charAt(i);
    }
  }

  private void putByte(int value) {
    ensure(1);
    buffer[length++] = (byte) value;
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
