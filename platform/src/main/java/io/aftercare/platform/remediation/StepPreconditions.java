package io.aftercare.platform.remediation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.condition.Condition;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.condition.ConditionScope;
import io.aftercare.diagnostics.rules.PlaybookStep;
import io.aftercare.diagnostics.rules.Remedy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a playbook step may run now: its precondition over the device's latest readings, and its
 * limit of commands per UTC day. Read in the caller's transaction, just before the step would be
 * sent; the readings used are returned as the evidence of a skipped step.
 */
public final class StepPreconditions {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ConditionCompiler compiler;

  /** Preconditions were validated when the rule files were loaded: compiled once per source. */
  private final Map<String, Condition> compiled = new ConcurrentHashMap<>();

  public StepPreconditions(ConditionCompiler compiler) {
    this.compiler = compiler;
  }

  /**
   * Why {@code remedy}'s step may not run on {@code deviceId} now, as the detail of a {@code
   * step_skipped} event (with the readings it was checked on); empty if it may run, or if the
   * remedy is not a playbook step.
   */
  public Optional<ObjectNode> unmet(Connection c, String deviceId, Remedy remedy, Instant now)
      throws SQLException {
    PlaybookStep step = remedy.step();
    if (step == null) {
      return Optional.empty();
    }
    ObjectNode detail = JSON.objectNode().put("command", remedy.command());
    if (step.maxPerDay() != null) {
      long sentToday = sentToday(c, deviceId, remedy.command(), now);
      detail.put("sentToday", sentToday);
      if (sentToday >= step.maxPerDay()) {
        return Optional.of(
            detail.put(
                "reason",
                "already sent "
                    + sentToday
                    + " times today (max_per_day: "
                    + step.maxPerDay()
                    + ")"));
      }
    }
    if (step.precondition() != null) {
      Map<String, Double> metrics = latestReadings(c, deviceId);
      ObjectNode readings = detail.putObject("metrics");
      metrics.forEach(readings::put);
      boolean online = online(c, deviceId);
      long openCommands = openCommands(c, deviceId);
      detail.put("online", online).put("openCommands", openCommands);
      Map<String, Object> variables =
          Map.of("metrics", metrics, "online", online, "open_commands", openCommands);
      Condition condition =
          compiled.computeIfAbsent(
              step.precondition(), source -> compiler.compile(source, ConditionScope.PRECONDITION));
      if (!condition.test(name -> Optional.ofNullable(variables.get(name)))) {
        return Optional.of(
            detail.put("reason", "precondition '" + step.precondition() + "' does not hold"));
      }
    }
    return Optional.empty();
  }

  private static long sentToday(Connection c, String deviceId, String command, Instant now)
      throws SQLException {
    try (PreparedStatement count =
        c.prepareStatement(
            "SELECT count(*) FROM commands WHERE device_id = ? AND name = ? AND created_at >= ?")) {
      count.setString(1, deviceId);
      count.setString(2, command);
      count.setTimestamp(3, Timestamp.from(now.truncatedTo(ChronoUnit.DAYS)));
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static boolean online(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT online FROM devices WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** The device's commands that have not reached a final status. */
  private static long openCommands(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement count =
        c.prepareStatement(
            "SELECT count(*) FROM commands WHERE device_id = ? AND status NOT IN"
                + " ('succeeded', 'failed', 'timed_out', 'expired', 'rejected')")) {
      count.setString(1, deviceId);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The device's latest value of each metric it has reported. */
  private static Map<String, Double> latestReadings(Connection c, String deviceId)
      throws SQLException {
    Map<String, Double> latest = new HashMap<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT DISTINCT ON (metric) metric, value FROM telemetry WHERE device_id = ?"
                + " ORDER BY metric, ts DESC")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          latest.put(rs.getString("metric"), rs.getDouble("value"));
        }
      }
    }
    return latest;
  }
}
