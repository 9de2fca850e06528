package io.aftercare.platform.alarms;

import io.aftercare.bridge.Category;
import io.aftercare.bridge.Severity;
import io.aftercare.bridge.TicketEvidence;
import io.aftercare.platform.db.JsonColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a service ticket needs to show why it exists: the rule and alarm, a summary of the telemetry
 * around the fault (per metric min/max/avg/last, not the raw points), the remote actions tried with
 * their results, and the diagnosis category. Shape documented in docs/tickets.md.
 */
final class Evidence {

  private static final Duration BEFORE_FAULT = Duration.ofHours(1);
  static final int MAX_DOCUMENTS = 500;

  private Evidence() {}

  static TicketEvidence collect(Connection c, long alarmId, Instant now) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT rule_id, description, severity, category, raised_at, last_seen_at, count,"
                + " last_value, peak_value, device_id, status FROM alarms WHERE id = ?")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        Category category = Category.fromWireName(rs.getString("category"));
        Instant raisedAt = rs.getTimestamp("raised_at").toInstant();
        TicketEvidence.Alarm alarm =
            new TicketEvidence.Alarm(
                alarmId,
                Severity.fromWireName(rs.getString("severity")),
                rs.getString("status"),
                raisedAt,
                rs.getTimestamp("last_seen_at").toInstant(),
                rs.getLong("count"),
                rs.getObject("last_value", Double.class),
                rs.getObject("peak_value", Double.class));
        return TicketEvidence.of(
            new TicketEvidence.Rule(rs.getString("rule_id"), rs.getString("description"), category),
            alarm,
            category,
            telemetryWindow(c, rs.getString("device_id"), raisedAt.minus(BEFORE_FAULT), now),
            remoteActions(c, alarmId));
      }
    }
  }

  /**
   * Summarises at most the {@link #MAX_DOCUMENTS} latest documents of the window, and says so by
   * moving {@code from} to the oldest one used. A device reporting every few seconds stays within
   * it; one that streams many documents a second would otherwise make every alarm read thousands of
   * them, and a mass outage of such devices would keep the diagnostics thread (and behind it,
   * ingest) waiting for minutes.
   */
  private static TicketEvidence.TelemetryWindow telemetryWindow(
      Connection c, String deviceId, Instant from, Instant to) throws SQLException {
    Map<String, TicketEvidence.MetricSummary> metrics = new LinkedHashMap<>();
    Instant oldestUsed = null;
    long documents = 0;
    try (PreparedStatement select =
        c.prepareStatement(
            "WITH latest AS (SELECT ts, metrics FROM telemetry_documents"
                + "   WHERE device_id = ? AND ts >= ? AND ts <= ? ORDER BY ts DESC LIMIT ?)"
                + " SELECT m.key AS metric, min(m.value::float8) AS min, max(m.value::float8) AS"
                + " max, avg(m.value::float8) AS avg, count(*) AS count,"
                + "   (array_agg(m.value::float8 ORDER BY d.ts DESC))[1] AS last,"
                + "   (SELECT min(ts) FROM latest) AS oldest, (SELECT count(*) FROM latest) AS"
                + " documents"
                + " FROM latest d CROSS JOIN LATERAL jsonb_each(d.metrics) m"
                + " GROUP BY m.key ORDER BY m.key")) {
      select.setString(1, deviceId);
      select.setTimestamp(2, Timestamp.from(from));
      select.setTimestamp(3, Timestamp.from(to));
      select.setInt(4, MAX_DOCUMENTS);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          metrics.put(
              rs.getString("metric"),
              new TicketEvidence.MetricSummary(
                  rs.getDouble("min"),
                  rs.getDouble("max"),
                  rs.getDouble("avg"),
                  rs.getLong("count"),
                  rs.getDouble("last")));
          oldestUsed = rs.getTimestamp("oldest").toInstant();
          documents = rs.getLong("documents");
        }
      }
    }
    Instant shownFrom = documents >= MAX_DOCUMENTS ? oldestUsed : from;
    return new TicketEvidence.TelemetryWindow(shownFrom, to, metrics);
  }

  /**
   * The remedies sent, with their commands' outcome, and the playbook steps skipped (status {@code
   * skipped}, with why as their output), in the order they happened: the playbook run, when the
   * rule has one.
   */
  private static List<TicketEvidence.RemoteAction> remoteActions(Connection c, long alarmId)
      throws SQLException {
    List<TicketEvidence.RemoteAction> actions = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT e.type, e.detail->>'command' AS command, e.detail->>'commandId' AS command_id,"
                + " e.detail->>'step' AS step, cmd.status, cmd.output::text AS output,"
                + " e.detail::text AS detail, e.ts"
                + " FROM alarm_events e LEFT JOIN commands cmd ON cmd.id = e.detail->>'commandId'"
                + " WHERE e.alarm_id = ? AND e.type IN ('remedy_sent', 'step_skipped')"
                + " ORDER BY e.id")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          boolean skipped = "step_skipped".equals(rs.getString("type"));
          actions.add(
              new TicketEvidence.RemoteAction(
                  rs.getString("command"),
                  rs.getString("command_id"),
                  skipped ? "skipped" : rs.getString("status"),
                  rs.getTimestamp("ts").toInstant(),
                  JsonColumn.read(rs.getString(skipped ? "detail" : "output")),
                  rs.getString("step")));
        }
      }
    }
    return actions;
  }
}
