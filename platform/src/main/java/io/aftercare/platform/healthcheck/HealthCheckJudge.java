package io.aftercare.platform.healthcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.condition.Condition;
import io.aftercare.diagnostics.eval.EventVariables;
import io.aftercare.diagnostics.eval.SampleVariables;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.RuleKind;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.diagnostics.rules.SeverityLevel;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.platform.command.CommandStatus;
import io.aftercare.platform.sessions.SelfTestVerdict;
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
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides a post-fix health check on what the device did between its alarm's clear and the end of
 * the window: it must be online, have reported, have no alarm of the fault's category open or
 * raised again, keep the rule's own signal back in range, and pass the catalog's self-test where
 * its type has one. Reads only, in the caller's transaction; every part's readings are the
 * verdict's evidence.
 */
final class HealthCheckJudge {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Supplier<RuleSet> rules;

  HealthCheckJudge(Supplier<RuleSet> rules) {
    this.rules = rules;
  }

  /**
   * The verdict on {@code check} over {@code [clearedAt, to]}, or empty while it must wait: every
   * other part holds and the self-test has not reported yet (a command always ends, by its result,
   * its timeout or its expiry).
   */
  Optional<HealthVerdict> judge(Connection c, PendingCheck check, Instant to) throws SQLException {
    List<String> failures = new ArrayList<>();
    ObjectNode evidence =
        JSON.objectNode()
            .put("alarmId", check.alarmId())
            .put("ruleId", check.ruleId())
            .put("from", check.clearedAt().toString())
            .put("to", to.toString());
    DeviceProfile device = device(c, check.deviceId(), evidence);
    if (!evidence.path("online").asBoolean()) {
      failures.add("the device is offline");
    }
    Optional<Instant> heard = lastHeard(c, check.deviceId(), check.clearedAt());
    evidence.put("lastHeardAt", heard.map(Instant::toString).orElse(null));
    if (heard.isEmpty()) {
      failures.add("the device has not reported since the alarm cleared");
    }
    ArrayNode alarms = sameCategoryAlarms(c, check);
    evidence.set("sameCategoryAlarms", alarms);
    if (!alarms.isEmpty()) {
      failures.add("an alarm of category " + check.category() + " is open or came back");
    }
    Optional<Rule> rule = rules.get().rule(check.ruleId());
    if (rule.isPresent() && device != null) {
      ruleSignal(c, check, rule.get(), device, to, evidence, failures);
    }
    Optional<Boolean> selfTestPassed = selfTest(c, check, evidence);
    if (selfTestPassed.isEmpty()) {
      return failures.isEmpty() ? Optional.empty() : Optional.of(decided(failures, evidence));
    }
    if (!selfTestPassed.get()) {
      failures.add("the self-test did not pass");
    }
    return Optional.of(decided(failures, evidence));
  }

  private static HealthVerdict decided(List<String> failures, ObjectNode evidence) {
    evidence.put("passed", failures.isEmpty());
    failures.forEach(evidence.putArray("failures")::add);
    return new HealthVerdict(failures, evidence);
  }

  /** The device's attributes as rules see them, and whether it is connected; null if deleted. */
  private static DeviceProfile device(Connection c, String deviceId, ObjectNode evidence)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT type, model, firmware, online FROM devices WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          evidence.put("online", false);
          return null;
        }
        evidence.put("online", rs.getBoolean("online"));
        return new DeviceProfile(
            deviceId, rs.getString("type"), rs.getString("model"), rs.getString("firmware"));
      }
    }
  }

  /** The latest telemetry or event since the clear: the device is reporting again. */
  private static Optional<Instant> lastHeard(Connection c, String deviceId, Instant since)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT greatest((SELECT max(ts) FROM telemetry WHERE device_id = ? AND ts > ?),"
                + " (SELECT max(received_at) FROM device_events WHERE device_id = ?"
                + " AND received_at > ?))")) {
      select.setString(1, deviceId);
      select.setTimestamp(2, Timestamp.from(since));
      select.setString(3, deviceId);
      select.setTimestamp(4, Timestamp.from(since));
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        Timestamp latest = rs.getTimestamp(1);
        return latest == null ? Optional.empty() : Optional.of(latest.toInstant());
      }
    }
  }

  /**
   * The device's other alarms of the fault's category that are open, or were raised since the clear
   * (the fault came back, even if it went away again).
   */
  private static ArrayNode sameCategoryAlarms(Connection c, PendingCheck check)
      throws SQLException {
    ArrayNode alarms = JSON.arrayNode();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, rule_id, status, raised_at FROM alarms WHERE device_id = ?"
                + " AND category = ? AND id <> ? AND (status <> 'cleared' OR raised_at >= ?)"
                + " ORDER BY id")) {
      select.setString(1, check.deviceId());
      select.setString(2, check.category());
      select.setLong(3, check.alarmId());
      select.setTimestamp(4, Timestamp.from(check.clearedAt()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          alarms
              .addObject()
              .put("alarmId", rs.getLong("id"))
              .put("ruleId", rs.getString("rule_id"))
              .put("status", rs.getString("status"))
              .put("raisedAt", rs.getTimestamp("raised_at").toInstant().toString());
        }
      }
    }
    return alarms;
  }

  /**
   * The rule's own signal over the window. A threshold or duration rule's metric must have been
   * reported and be back in range at every reading: its {@code clear} condition holds, or, without
   * one, no level does. An event or repeating rule's occurrence must not have happened at all. The
   * other kinds (absence, stuck, flapping, rate of change, forecast) have no per-reading signal:
   * the alarm check above covers them.
   */
  private static void ruleSignal(
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

  /**
   * The self-test's part: passed, failed, or empty while it has not reported. A device type without
   * a self-test in the catalog passes this part, noted as such.
   */
  private static Optional<Boolean> selfTest(Connection c, PendingCheck check, ObjectNode evidence)
      throws SQLException {
    ObjectNode selfTest = evidence.putObject("selfTest");
    if (check.selfTestRefused() != null) {
      selfTest.put("status", "not_sent").put("reason", check.selfTestRefused());
      return Optional.of(false);
    }
    if (check.selfTestCommandId() == null) {
      selfTest.put("status", "not_supported");
      return Optional.of(true);
    }
    selfTest.put("commandId", check.selfTestCommandId());
    try (PreparedStatement select =
        c.prepareStatement("SELECT status, output::text FROM commands WHERE id = ?")) {
      select.setString(1, check.selfTestCommandId());
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          selfTest.put("status", "missing");
          return Optional.of(false);
        }
        CommandStatus status = CommandStatus.fromWireName(rs.getString("status"));
        selfTest.put("status", status.wireName());
        if (!status.isFinal()) {
          return Optional.empty();
        }
        JsonNode output = read(rs.getString(2));
        selfTest.set("output", output);
        SelfTestVerdict verdict =
            SelfTestVerdict.of(
                JSON.objectNode().put("status", status.wireName()).set("output", output));
        verdict.failingComponents().forEach(selfTest.putArray("failingComponents")::add);
        return Optional.of(status == CommandStatus.SUCCEEDED && !verdict.failed());
      }
    }
  }

  private static JsonNode read(String json) {
    try {
      return json == null ? JSON.nullNode() : MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored command output is unreadable", e);
    }
  }
}
