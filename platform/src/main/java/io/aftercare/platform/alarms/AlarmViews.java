package io.aftercare.platform.alarms;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.db.JsonColumn;
import io.aftercare.platform.db.TimestampColumn;
import io.aftercare.platform.remediation.RemediationState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL that reads alarms as staff see them: each with its remote actions, in one query. */
final class AlarmViews {

  private AlarmViews() {}

  /** A page of alarms for the API, newest first, each with its remote actions, in one query. */
  static List<AlarmView> list(Connection c, AlarmListQuery query) throws SQLException {
    String status = query.status();
    String statusFilter = "open".equals(status) ? null : status;
    try (PreparedStatement select =
        c.prepareStatement(
            VIEW_SELECT
                + " WHERE (?::text IS NULL OR a.status = ?) AND (NOT ? OR a.status <> 'cleared')"
                + " AND (?::text IS NULL OR a.device_id = ?)"
                + " AND (?::text IS NULL OR a.severity = ?) AND (?::text IS NULL OR a.rule_id = ?)"
                + " AND (?::text IS NULL OR a.category = ?)"
                + " AND (?::text IS NULL OR a.remediation_state = ?)"
                + " AND (?::text IS NULL OR a.assignee = ?)"
                + " AND (?::boolean IS NULL"
                + "   OR ? = (a.snoozed_until IS NOT NULL AND a.snoozed_until > ?))"
                + " AND (?::bigint IS NULL OR a.id < ?)"
                + " ORDER BY a.id DESC LIMIT ?")) {
      int i = 1;
      select.setString(i++, statusFilter);
      select.setString(i++, statusFilter);
      select.setBoolean(i++, "open".equals(status));
      for (String filter :
          new String[] {
            query.deviceId(),
            query.severity(),
            query.ruleId(),
            query.category(),
            query.remediationState(),
            query.assignee()
          }) {
        select.setString(i++, filter);
        select.setString(i++, filter);
      }
      select.setObject(i++, query.snoozed(), java.sql.Types.BOOLEAN);
      select.setObject(i++, query.snoozed(), java.sql.Types.BOOLEAN);
      select.setTimestamp(i++, java.sql.Timestamp.from(query.now()));
      select.setObject(i++, query.beforeId(), java.sql.Types.BIGINT);
      select.setObject(i++, query.beforeId(), java.sql.Types.BIGINT);
      select.setInt(i, query.limit());
      return views(select);
    }
  }

  static Optional<AlarmView> view(Connection c, long id) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(VIEW_SELECT + " WHERE a.id = ?")) {
      select.setLong(1, id);
      return AlarmQueries.first(views(select));
    }
  }

  /**
   * The alarm's columns and, aggregated per alarm, each remedy sent with the status of its latest
   * result ({@code sent} while there is none).
   */
  private static final String VIEW_SELECT =
      "SELECT a.id, a.device_id, a.rule_id, a.severity, a.status, a.category, a.description,"
          + " a.raised_at, a.last_seen_at, a.cleared_at, a.cleared_by, a.count, a.last_value,"
          + " a.peak_value, a.acknowledged_at, a.acknowledged_by, a.resolution,"
          + " a.remediation_state, a.ticket_requested_at IS NOT NULL AS ticket_requested,"
          + " a.assignee, a.snoozed_until, a.ack_note, a.details::text AS details,"
          + " a.home_alarm_id, a.incident_id,"
          + " COALESCE(actions.list, '[]')::text AS actions,"
          + " COALESCE(run.list, '[]')::text AS run"
          + " FROM alarms a LEFT JOIN LATERAL ("
          + "   SELECT json_agg(json_build_object("
          + "       'command', sent.detail ->> 'command',"
          + "       'commandId', sent.detail ->> 'commandId',"
          + "       'status', COALESCE((SELECT r.detail ->> 'status' FROM alarm_events r"
          + "           WHERE r.alarm_id = a.id AND r.type = 'remedy_result'"
          + "           AND r.detail ->> 'commandId' = sent.detail ->> 'commandId'"
          + "           ORDER BY r.id DESC LIMIT 1), 'sent'),"
          + "       'atMicros', (extract(epoch FROM sent.ts) * 1000000)::bigint)"
          + "     ORDER BY sent.id) AS list"
          + "   FROM alarm_events sent WHERE sent.alarm_id = a.id AND sent.type = 'remedy_sent'"
          + " ) actions ON true LEFT JOIN LATERAL ("
          + "   SELECT json_agg(json_build_object('type', ev.type, 'step', ev.detail ->> 'step',"
          + "       'atMicros', (extract(epoch FROM ev.ts) * 1000000)::bigint, 'detail', ev.detail)"
          + "     ORDER BY ev.id) AS list"
          + "   FROM alarm_events ev WHERE ev.alarm_id = a.id AND ev.detail ->> 'step' IS NOT NULL"
          + " ) run ON true";

  private static List<AlarmView> views(PreparedStatement select) throws SQLException {
    List<AlarmView> views = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        views.add(
            new AlarmView(
                rs.getLong("id"),
                rs.getString("device_id"),
                rs.getString("rule_id"),
                rs.getString("severity"),
                rs.getString("status"),
                rs.getString("category"),
                rs.getString("description"),
                TimestampColumn.read(rs, "raised_at"),
                TimestampColumn.read(rs, "last_seen_at"),
                TimestampColumn.read(rs, "cleared_at"),
                rs.getString("cleared_by"),
                rs.getLong("count"),
                (Double) rs.getObject("last_value"),
                (Double) rs.getObject("peak_value"),
                TimestampColumn.read(rs, "acknowledged_at"),
                rs.getString("acknowledged_by"),
                rs.getString("resolution"),
                new AlarmView.Remediation(
                    RemediationState.fromWireName(rs.getString("remediation_state")),
                    actions(rs.getString("actions")),
                    run(rs.getString("run"))),
                rs.getBoolean("ticket_requested"),
                rs.getString("assignee"),
                TimestampColumn.read(rs, "snoozed_until"),
                rs.getString("ack_note"),
                AlarmDetails.read(rs.getString("details")),
                (Long) rs.getObject("home_alarm_id"),
                (Long) rs.getObject("incident_id")));
      }
    }
    return views;
  }

  private static List<AlarmView.PlaybookEvent> run(String json) {
    List<AlarmView.PlaybookEvent> events = new ArrayList<>();
    for (JsonNode event : JsonColumn.read(json)) {
      events.add(
          new AlarmView.PlaybookEvent(
              event.path("type").asText(),
              event.path("step").asText(),
              Instant.EPOCH.plus(event.path("atMicros").asLong(), ChronoUnit.MICROS),
              event.path("detail")));
    }
    return events;
  }

  private static List<AlarmView.RemedyAction> actions(String json) {
    List<AlarmView.RemedyAction> actions = new ArrayList<>();
    for (JsonNode action : JsonColumn.read(json)) {
      actions.add(
          new AlarmView.RemedyAction(
              action.path("command").asText(),
              action.path("commandId").asText(),
              action.path("status").asText(),
              Instant.EPOCH.plus(action.path("atMicros").asLong(), ChronoUnit.MICROS)));
    }
    return actions;
  }
}
