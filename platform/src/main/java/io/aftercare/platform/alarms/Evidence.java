package io.aftercare.platform.alarms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.platform.db.JsonColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * What a service ticket needs to show why it exists: the rule and alarm, a summary of the telemetry
 * around the fault (per metric min/max/avg/last, not the raw points), the remote actions tried with
 * their results, and the diagnosis category. Shape documented in docs/tickets.md.
 */
final class Evidence {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Duration BEFORE_FAULT = Duration.ofHours(1);
  static final int MAX_DOCUMENTS = 500;

  private Evidence() {}

  static ObjectNode collect(Connection c, long alarmId, Instant now) throws SQLException {
    ObjectNode evidence = JSON.objectNode();
    Instant raisedAt;
    String deviceId;
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT rule_id, description, severity, category, raised_at, last_seen_at, count,"
                + " last_value, peak_value, device_id, status FROM alarms WHERE id = ?")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        evidence
            .putObject("rule")
            .put("id", rs.getString(1))
            .put("description", rs.getString(2))
            .put("category", rs.getString(4));
        ObjectNode alarm = evidence.putObject("alarm");
        alarm.put("id", alarmId).put("severity", rs.getString(3)).put("status", rs.getString(11));
        alarm.put("raisedAt", rs.getTimestamp(5).toInstant().toString());
        alarm.put("lastSeenAt", rs.getTimestamp(6).toInstant().toString());
        alarm.put("count", rs.getLong(7));
        putNullable(alarm, "lastValue", rs, 8);
        putNullable(alarm, "peakValue", rs, 9);
        evidence.put("diagnosis", rs.getString(4));
        raisedAt = rs.getTimestamp(5).toInstant();
        deviceId = rs.getString(10);
      }
    }
    evidence.set(
        "telemetryWindow", telemetryWindow(c, deviceId, raisedAt.minus(BEFORE_FAULT), now));
    evidence.set("remoteActions", remoteActions(c, alarmId));
    return evidence;
  }

  /**
   * Summarises at most the {@link #MAX_DOCUMENTS} latest documents of the window, and says so by
   * moving {@code from} to the oldest one used. A device reporting every few seconds stays within
   * it; one that streams many documents a second would otherwise make every alarm read thousands of
   * them, and a mass outage of such devices would keep the diagnostics thread (and behind it,
   * ingest) waiting for minutes.
   */
  private static ObjectNode telemetryWindow(Connection c, String deviceId, Instant from, Instant to)
      throws SQLException {
    ObjectNode window = JSON.objectNode();
    ObjectNode metrics = JSON.objectNode();
    Instant oldestUsed = null;
    long documents = 0;
    try (PreparedStatement select =
        c.prepareStatement(
            "WITH latest AS (SELECT ts, metrics FROM telemetry_documents"
                + "   WHERE device_id = ? AND ts >= ? AND ts <= ? ORDER BY ts DESC LIMIT ?)"
                + " SELECT m.key, min(m.value::float8), max(m.value::float8), avg(m.value::float8),"
                + "   count(*), (array_agg(m.value::float8 ORDER BY d.ts DESC))[1],"
                + "   (SELECT min(ts) FROM latest), (SELECT count(*) FROM latest)"
                + " FROM latest d CROSS JOIN LATERAL jsonb_each(d.metrics) m"
                + " GROUP BY m.key ORDER BY m.key")) {
      select.setString(1, deviceId);
      select.setTimestamp(2, Timestamp.from(from));
      select.setTimestamp(3, Timestamp.from(to));
      select.setInt(4, MAX_DOCUMENTS);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          metrics
              .putObject(rs.getString(1))
              .put("min", rs.getDouble(2))
              .put("max", rs.getDouble(3))
              .put("avg", rs.getDouble(4))
              .put("count", rs.getLong(5))
              .put("last", rs.getDouble(6));
          oldestUsed = rs.getTimestamp(7).toInstant();
          documents = rs.getLong(8);
        }
      }
    }
    Instant shownFrom = documents >= MAX_DOCUMENTS ? oldestUsed : from;
    window.put("from", shownFrom.toString()).put("to", to.toString());
    window.set("metrics", metrics);
    return window;
  }

  private static ArrayNode remoteActions(Connection c, long alarmId) throws SQLException {
    ArrayNode actions = JSON.arrayNode();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT e.detail->>'command', e.detail->>'commandId', cmd.status, cmd.output::text, e.ts"
                + " FROM alarm_events e LEFT JOIN commands cmd ON cmd.id = e.detail->>'commandId'"
                + " WHERE e.alarm_id = ? AND e.type = 'remedy_sent' ORDER BY e.id")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ObjectNode action =
              actions
                  .addObject()
                  .put("command", rs.getString(1))
                  .put("commandId", rs.getString(2))
                  .put("status", rs.getString(3))
                  .put("at", rs.getTimestamp(5).toInstant().toString());
          action.set("output", JsonColumn.read(rs.getString(4)));
        }
      }
    }
    return actions;
  }

  private static void putNullable(ObjectNode node, String field, ResultSet rs, int column)
      throws SQLException {
    double value = rs.getDouble(column);
    if (rs.wasNull()) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
