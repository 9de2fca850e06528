package io.aftercare.platform.healthcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.platform.command.CommandStatus;
import io.aftercare.platform.sessions.SelfTestVerdict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
      RuleSignalCheck.check(c, check, rule.get(), device, to, evidence, failures);
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
