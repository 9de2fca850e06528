package io.aftercare.simulator.device;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a device produced in one tick: a telemetry document (absent while it is off the network) and
 * the events that happened since the previous tick.
 *
 * @param metrics values in the vocabulary of docs/simulator.md, numbers or booleans; empty when the
 *     device sends nothing this tick
 */
public record Reading(Instant ts, Map<String, Object> metrics, List<DeviceEventRecord> events) {

  public Reading {
    metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    events = List.copyOf(events);
  }

  public double number(String metric) {
    return ((Number) metrics.get(metric)).doubleValue();
  }

  public boolean flag(String metric) {
    return (Boolean) metrics.get(metric);
  }
}
