package io.aftercare.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One telemetry document: the values a device measured at one instant.
 *
 * <p>Booleans are carried as 1.0 (true) and 0.0 (false) so that every metric has one numeric
 * series; the metric name says what the number means.
 *
 * @param timestampFromDevice whether {@code ts} came from the device (and so identifies a
 *     retransmission) or was stamped by the server on receipt
 */
public record Telemetry(
    String deviceId, Instant ts, boolean timestampFromDevice, Map<String, Double> metrics) {

  public Telemetry {
    metrics = Map.copyOf(metrics);
  }

  public int pointCount() {
    return metrics.size();
  }
}
