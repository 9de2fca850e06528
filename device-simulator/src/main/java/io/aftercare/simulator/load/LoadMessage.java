package io.aftercare.simulator.load;

/**
 * One message of the load schedule.
 *
 * @param intendedNanos when the schedule says it should be sent ({@link System#nanoTime} scale);
 *     latency is measured from here, not from when it was actually sent, so a stalled generator or
 *     server shows up as latency instead of silently lowering the rate
 * @param tsMillis the document's timestamp, unique per device, which identifies it in the database
 *     afterwards
 */
record LoadMessage(long intendedNanos, long tsMillis) {

  /** A telemetry document with {@code metrics} values named {@code load_0}, {@code load_1}… */
  byte[] payload(int metrics) {
    StringBuilder json = new StringBuilder(32 + metrics * 16);
    json.append("{\"ts\":").append(tsMillis).append(",\"metrics\":{");
    for (int i = 0; i < metrics; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("\"load_").append(i).append("\":").append(tsMillis % 1000 + i);
    }
    return json.append("}}").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
