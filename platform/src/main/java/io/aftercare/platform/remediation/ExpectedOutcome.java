package io.aftercare.platform.remediation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.condition.Condition;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.condition.ConditionScope;
import io.aftercare.diagnostics.rules.PlaybookStep;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A playbook step's expected outcome ({@code expect}), checked on the device's telemetry of the
 * verification window when that window passes. The values it was checked on are the check's
 * evidence, kept with the alarm whether it holds or not.
 */
public final class ExpectedOutcome {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ConditionCompiler compiler;

  /** Expectations were validated when the rule files were loaded: compiled once per source. */
  private final Map<String, Condition> compiled = new ConcurrentHashMap<>();

  public ExpectedOutcome(ConditionCompiler compiler) {
    this.compiler = compiler;
  }

  /**
   * Checks {@code step}'s expectation on {@code deviceId}'s telemetry from {@code from} to {@code
   * to}. No reading of a metric in the window makes a condition on it false: a fix nobody saw
   * working is not verified.
   *
   * @return the evidence: {@code expect}, {@code holds}, the window and {@code min}, {@code max},
   *     {@code latest} per metric
   */
  public ObjectNode check(
      Connection c, String deviceId, PlaybookStep step, Instant from, Instant to)
      throws SQLException {
    Map<String, Double> min = new HashMap<>();
    Map<String, Double> max = new HashMap<>();
    Map<String, Double> latest = new HashMap<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT metric, min(value) AS low, max(value) AS high,"
                + " (array_agg(value ORDER BY ts DESC))[1] AS last FROM telemetry"
                + " WHERE device_id = ? AND ts >= ? AND ts <= ? GROUP BY metric")) {
      select.setString(1, deviceId);
      select.setTimestamp(2, Timestamp.from(from));
      select.setTimestamp(3, Timestamp.from(to));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          min.put(rs.getString("metric"), rs.getDouble("low"));
          max.put(rs.getString("metric"), rs.getDouble("high"));
          latest.put(rs.getString("metric"), rs.getDouble("last"));
        }
      }
    }
    Map<String, Object> variables = Map.of("min", min, "max", max, "latest", latest);
    Condition expect =
        compiled.computeIfAbsent(
            step.expect(), source -> compiler.compile(source, ConditionScope.EXPECT));
    boolean holds = expect.test(name -> Optional.ofNullable(variables.get(name)));
    ObjectNode evidence =
        JSON.objectNode()
            .put("expect", step.expect())
            .put("holds", holds)
            .put("from", from.toString())
            .put("to", to.toString());
    min.forEach(evidence.putObject("min")::put);
    max.forEach(evidence.putObject("max")::put);
    latest.forEach(evidence.putObject("latest")::put);
    return evidence;
  }
}
