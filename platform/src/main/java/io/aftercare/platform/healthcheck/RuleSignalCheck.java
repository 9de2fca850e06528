package io.aftercare.platform.healthcheck;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.condition.Condition;
import io.aftercare.diagnostics.eval.EventVariables;
import io.aftercare.diagnostics.eval.SampleVariables;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.RuleKind;
import io.aftercare.diagnostics.rules.SeverityLevel;
import io.aftercare.domain.DeviceEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The health check's part about the rule that raised the fault: is the rule's own signal back in
 * range since the clear? Judged with the rule's conditions on the stored readings and events, as
 * the engine would judge them.
 */
final class RuleSignalCheck {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private RuleSignalCheck() {}

  /**
   * The rule's own signal over the window. A threshold or duration rule's metric must have been
   * reported and be back in range at every reading: its {@code clear} condition holds, or, without
   * one, no level does. An event or repeating rule's occurrence must not have happened at all. The
   * other kinds (absence, stuck, flapping, rate of change, forecast) have no per-reading signal:
   * the check of the fault's category covers them.
   */
  static void check(
      Connection c,
      PendingCheck check,
      Rule rule,
      DeviceProfile device,
      Instant to,
      ObjectNode evidence,
      List<String> failures)
      throws SQLException {
    ObjectNode signal = evidence.putObject("ruleSignal").put("kind", rule.kind().wireName());
    if (rule.kind() == RuleKind.EVENT) {
      long occurrences = matchingEvents(c, check, rule, device, to);
      signal.put("occurrences", occurrences);
      if (occurrences > 0) {
        failures.add("the rule's event happened again " + occurrences + " time(s)");
      }
      return;
    }
    boolean perReading =
        rule.kind() == RuleKind.THRESHOLD
            || rule.kind() == RuleKind.DURATION
            || rule.kind() == RuleKind.REPEATING;
    if (!perReading || rule.metric() == null) {
      signal.put("checked", false);
      return;
    }
    signal.put("metric", rule.metric());
    Readings readings = readings(c, check.deviceId(), rule, device, check.clearedAt(), to);
    signal.put("readings", readings.count()).put("outOfRange", readings.outOfRange());
    if (readings.count() > 0) {
      signal.put("min", readings.min()).put("max", readings.max());
    }
    if (readings.firstOut() != null) {
      signal.set("firstOutOfRange", readings.firstOut());
    }
    if (readings.count() == 0) {
      failures.add("no reading of " + rule.metric() + " since the alarm cleared");
    } else if (readings.outOfRange() > 0) {
      failures.add(
          rule.metric() + " out of range in " + readings.outOfRange() + " reading(s) since");
    }
  }

  private record Readings(
      long count, long outOfRange, double min, double max, ObjectNode firstOut) {}

  /**
   * The rule's metric since the clear, each reading judged as the engine would: with {@code
   * metrics} holding the latest value of every metric the device reported up to it, so a condition
   * on another metric (a fridge's door) sees it.
   */
  private static Readings readings(
      Connection c, String deviceId, Rule rule, DeviceProfile device, Instant from, Instant to)
      throws SQLException {
    SampleVariables variables = new SampleVariables();
    Map<String, String> attributes = device.attributes();
    Map<String, Double> latest = new HashMap<>();
    List<Reading> ofMetric = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT ts, metric, value FROM telemetry WHERE device_id = ?"
                + " AND ts > ? AND ts <= ? ORDER BY ts, metric")) {
      select.setString(1, deviceId);
      select.setTimestamp(2, Timestamp.from(from));
      select.setTimestamp(3, Timestamp.from(to));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Instant ts = rs.getTimestamp("ts").toInstant();
          // A document's metrics share its time: judge the reading once all of them are in.
          if (!ofMetric.isEmpty() && ofMetric.get(ofMetric.size() - 1).pending(ts)) {
            ofMetric.get(ofMetric.size() - 1).snapshot(latest);
          }
          latest.put(rs.getString("metric"), rs.getDouble("value"));
          if (rule.metric().equals(rs.getString("metric"))) {
            ofMetric.add(new Reading(ts, rs.getDouble("value")));
          }
        }
      }
    }
    if (!ofMetric.isEmpty()) {
      ofMetric.get(ofMetric.size() - 1).snapshot(latest);
    }
    long out = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    ObjectNode firstOut = null;
    Double previous = null;
    for (Reading reading : ofMetric) {
      variables.set(
          reading.value, previous == null ? reading.value : previous, reading.metrics, attributes);
      previous = reading.value;
      min = Math.min(min, reading.value);
      max = Math.max(max, reading.value);
      if (!inRange(rule, variables)) {
        out++;
        if (firstOut == null) {
          firstOut = JSON.objectNode().put("ts", reading.ts.toString()).put("value", reading.value);
        }
      }
    }
    return new Readings(ofMetric.size(), out, min, max, firstOut);
  }

  /** One reading of the rule's metric, with the device's latest metrics as of its document. */
  private static final class Reading {
    private final Instant ts;
    private final double value;
    private Map<String, Double> metrics;

    Reading(Instant ts, double value) {
      this.ts = ts;
      this.value = value;
    }

    /** Whether its document is complete only now that a row of a later time came. */
    boolean pending(Instant next) {
      return metrics == null && next.isAfter(ts);
    }

    void snapshot(Map<String, Double> latest) {
      if (metrics == null) {
        metrics = Map.copyOf(latest);
      }
    }
  }

  private static boolean inRange(Rule rule, SampleVariables reading) {
    if (rule.kind() == RuleKind.REPEATING) {
      return !rule.sampleCondition().test(reading);
    }
    if (rule.clearCondition() != null) {
      return rule.clearCondition().test(reading);
    }
    for (SeverityLevel level : rule.levels()) {
      Condition condition = level.condition();
      if (condition != null && condition.test(reading)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The device's events that happened since the clear (by the device's time: a drop from before the
   * fix, reported late, is not the fault coming back) and that the event rule's filter matches.
   */
  private static long matchingEvents(
      Connection c, PendingCheck check, Rule rule, DeviceProfile device, Instant to)
      throws SQLException {
    long matching = 0;
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT ts, type, code, message FROM device_events WHERE device_id = ?"
                + " AND ts > ? AND ts <= ?")) {
      select.setString(1, check.deviceId());
      select.setTimestamp(2, Timestamp.from(check.clearedAt()));
      select.setTimestamp(3, Timestamp.from(to));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          DeviceEvent event =
              new DeviceEvent(
                  check.deviceId(),
                  rs.getTimestamp("ts").toInstant(),
                  rs.getString("type"),
                  rs.getString("code"),
                  rs.getString("message"),
                  null);
          if (rule.eventFilter().test(new EventVariables(event, Map.of(), device.attributes()))) {
            matching++;
          }
        }
      }
    }
    return matching;
  }
}
