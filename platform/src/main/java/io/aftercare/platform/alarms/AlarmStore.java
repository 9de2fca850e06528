package io.aftercare.platform.alarms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmSnapshot;
import io.aftercare.diagnostics.alarm.AlarmStatus;
import io.aftercare.diagnostics.rules.Severity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SQL for alarms. The engine's changes are written here, in the runner's transaction; the partial
 * unique index keeps one open alarm per device and rule even if two writers raced.
 */
final class AlarmStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An open alarm's id and remote-fix-first progress. */
  record OpenAlarm(
      long id,
      String deviceId,
      String ruleId,
      String severity,
      String category,
      String state,
      int step,
      String commandId,
      Instant deadline,
      boolean openTicket,
      boolean ticketRequested,
      JsonNode remedies) {}

  private AlarmStore() {}

  /** Writes one engine change; returns the alarm's id. */
  static long apply(Connection c, AlarmChange change, String remediesJson) throws SQLException {
    AlarmSnapshot alarm = change.alarm();
    if (change.type() == io.aftercare.diagnostics.alarm.AlarmChangeType.RAISED) {
      long id = insert(c, change, remediesJson);
      event(c, id, change.at(), "raised", alarm.severity(), change.actor(), null);
      return id;
    }
    Optional<OpenAlarm> open = findOpen(c, change.deviceId(), change.ruleId());
    if (open.isEmpty()) {
      // A change for an alarm raised before the table existed, or cleared by hand: record it
      // as raised now rather than lose it.
      long id = insert(c, change, remediesJson);
      event(c, id, change.at(), "raised", alarm.severity(), change.actor(), null);
      return id;
    }
    long id = open.get().id();
    switch (change.type()) {
      case UPDATED -> updateCounters(c, id, alarm);
      case ESCALATED -> {
        updateCounters(c, id, alarm);
        event(c, id, change.at(), "escalated", alarm.severity(), null, null);
      }
      case ACKNOWLEDGED -> {
        try (PreparedStatement update =
            c.prepareStatement(
                "UPDATE alarms SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?"
                    + " WHERE id = ?")) {
          update.setTimestamp(1, Timestamp.from(change.at()));
          update.setString(2, change.actor());
          update.setLong(3, id);
          update.executeUpdate();
        }
        event(c, id, change.at(), "acknowledged", alarm.severity(), change.actor(), null);
      }
      case CLEARED -> {
        String resolution = change.actor() == null ? "condition_cleared" : "fixed_remotely";
        try (PreparedStatement update =
            c.prepareStatement(
                "UPDATE alarms SET status = 'cleared', cleared_at = ?, cleared_by = ?, resolution = ?,"
                    + " remediation_state = CASE WHEN ? = 'fixed_remotely' THEN 'fixed'"
                    + "   ELSE remediation_state END"
                    + " WHERE id = ?")) {
          update.setTimestamp(1, Timestamp.from(change.at()));
          update.setString(2, change.actor());
          update.setString(3, resolution);
          update.setString(4, resolution);
          update.setLong(5, id);
          update.executeUpdate();
        }
        event(
            c,
            id,
            change.at(),
            "cleared",
            alarm.severity(),
            change.actor(),
            "{\"resolution\":\"" + resolution + "\"}");
      }
      default -> throw new IllegalStateException("unexpected change " + change.type());
    }
    return id;
  }

  private static long insert(Connection c, AlarmChange change, String remediesJson)
      throws SQLException {
    AlarmSnapshot alarm = change.alarm();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO alarms (device_id, rule_id, severity, status, category, description,"
                + " raised_at, last_seen_at, count, last_value, peak_value, open_ticket, remedies)"
                + " VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id")) {
      insert.setString(1, change.deviceId());
      insert.setString(2, change.ruleId());
      insert.setString(3, alarm.severity().wireName());
      insert.setString(4, change.category().name().toLowerCase(Locale.ROOT));
      insert.setString(5, change.description());
      insert.setTimestamp(6, Timestamp.from(alarm.raisedAt()));
      insert.setTimestamp(7, Timestamp.from(alarm.lastSeenAt()));
      insert.setLong(8, alarm.count());
      setDouble(insert, 9, alarm.lastValue());
      setDouble(insert, 10, alarm.peakValue());
      insert.setBoolean(11, change.openTicket());
      insert.setString(12, remediesJson);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void updateCounters(Connection c, long id, AlarmSnapshot alarm)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE alarms SET severity = ?, last_seen_at = ?, count = ?, last_value = ?, peak_value = ?"
                + " WHERE id = ?")) {
      update.setString(1, alarm.severity().wireName());
      update.setTimestamp(2, Timestamp.from(alarm.lastSeenAt()));
      update.setLong(3, alarm.count());
      setDouble(update, 4, alarm.lastValue());
      setDouble(update, 5, alarm.peakValue());
      update.setLong(6, id);
      update.executeUpdate();
    }
  }

  static void event(
      Connection c,
      long alarmId,
      Instant at,
      String type,
      Severity severity,
      String actor,
      String detailJson)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO alarm_events (alarm_id, ts, type, severity, actor, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
      insert.setLong(1, alarmId);
      insert.setTimestamp(2, Timestamp.from(at));
      insert.setString(3, type);
      insert.setString(4, severity == null ? null : severity.wireName());
      insert.setString(5, actor);
      insert.setString(6, detailJson);
      insert.executeUpdate();
    }
  }

  private static final String OPEN_COLUMNS =
      "id, device_id, rule_id, severity, category, remediation_state, remediation_step,"
          + " remediation_command_id, remediation_deadline, open_ticket,"
          + " ticket_requested_at IS NOT NULL, remedies::text";

  static Optional<OpenAlarm> findOpen(Connection c, String deviceId, String ruleId)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + OPEN_COLUMNS
                + " FROM alarms WHERE device_id = ? AND rule_id = ?"
                + " AND status <> 'cleared'")) {
      select.setString(1, deviceId);
      select.setString(2, ruleId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(openAlarm(rs)) : Optional.empty();
      }
    }
  }

  static Optional<OpenAlarm> findById(Connection c, long id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + OPEN_COLUMNS + " FROM alarms WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(openAlarm(rs)) : Optional.empty();
      }
    }
  }

  /** Open alarms whose remote fix is under way (a command out, or a fix being verified). */
  static List<OpenAlarm> remediating(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + OPEN_COLUMNS
                + " FROM alarms WHERE status <> 'cleared'"
                + " AND remediation_state IN ('trying', 'verifying') ORDER BY id")) {
      List<OpenAlarm> alarms = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          alarms.add(openAlarm(rs));
        }
      }
      return alarms;
    }
  }

  /**
   * Another open alarm of the device whose current remedy is the same command with the same
   * parameters, still out or being verified: one fault often trips several rules, and the device
   * should get one reboot (or one firmware rollback), not one per rule.
   */
  static Optional<OpenAlarm> sameRemedyUnderWay(
      Connection c, String deviceId, JsonNode remedy, long exceptAlarmId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + OPEN_COLUMNS
                + " FROM alarms WHERE device_id = ? AND id <> ? AND status <> 'cleared'"
                + " AND remediation_state IN ('trying', 'verifying')"
                + " AND remediation_command_id IS NOT NULL"
                + " AND remedies -> remediation_step ->> 'command' = ?"
                + " AND COALESCE(remedies -> remediation_step -> 'params', '{}'::jsonb)"
                + " = ?::jsonb ORDER BY id LIMIT 1")) {
      select.setString(1, deviceId);
      select.setLong(2, exceptAlarmId);
      select.setString(3, remedy.path("command").asText());
      JsonNode params = remedy.path("params");
      select.setString(4, params.isObject() ? params.toString() : "{}");
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(openAlarm(rs)) : Optional.empty();
      }
    }
  }

  static void setRemediation(
      Connection c, long id, String state, int step, String commandId, Instant deadline)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE alarms SET remediation_state = ?, remediation_step = ?, remediation_command_id = ?,"
                + " remediation_deadline = ? WHERE id = ?")) {
      update.setString(1, state);
      update.setInt(2, step);
      update.setString(3, commandId);
      update.setTimestamp(4, deadline == null ? null : Timestamp.from(deadline));
      update.setLong(5, id);
      update.executeUpdate();
    }
  }

  static void markTicketRequested(Connection c, long id, Instant at) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE alarms SET ticket_requested_at = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(at));
      update.setLong(2, id);
      update.executeUpdate();
    }
  }

  /** Open alarms as the engine persisted them, to restore it after a restart. */
  static List<AlarmSnapshot> openSnapshots(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT d.id, d.type, d.model, d.firmware, a.rule_id, a.severity, a.status, a.raised_at,"
                + " a.last_seen_at, a.count, a.last_value, a.peak_value, a.acknowledged_at,"
                + " a.acknowledged_by FROM alarms a JOIN devices d ON d.id = a.device_id"
                + " WHERE a.status <> 'cleared'")) {
      List<AlarmSnapshot> snapshots = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Timestamp acknowledgedAt = rs.getTimestamp(13);
          snapshots.add(
              new AlarmSnapshot(
                  DeviceProfiles.read(rs),
                  rs.getString(5),
                  Severity.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)),
                  AlarmStatus.valueOf(rs.getString(7).toUpperCase(Locale.ROOT)),
                  rs.getTimestamp(8).toInstant(),
                  rs.getTimestamp(9).toInstant(),
                  rs.getLong(10),
                  nullableDouble(rs, 11),
                  nullableDouble(rs, 12),
                  acknowledgedAt == null ? null : acknowledgedAt.toInstant(),
                  rs.getString(14)));
        }
      }
      return snapshots;
    }
  }

  /** Alarms for the API, newest first. */
  static List<AlarmView> list(
      Connection c, String status, String deviceId, String severity, String ruleId, int limit)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            VIEW_SELECT
                + " WHERE (?::text IS NULL OR status = ?) AND (?::text IS NULL OR device_id = ?)"
                + " AND (?::text IS NULL OR severity = ?) AND (?::text IS NULL OR rule_id = ?)"
                + " ORDER BY id DESC LIMIT ?")) {
      int i = 1;
      for (String filter : new String[] {status, deviceId, severity, ruleId}) {
        select.setString(i++, filter);
        select.setString(i++, filter);
      }
      select.setInt(i, limit);
      return views(c, select);
    }
  }

  static Optional<AlarmView> view(Connection c, long id) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(VIEW_SELECT + " WHERE id = ?")) {
      select.setLong(1, id);
      List<AlarmView> views = views(c, select);
      return views.isEmpty() ? Optional.empty() : Optional.of(views.get(0));
    }
  }

  private static final String VIEW_SELECT =
      "SELECT id, device_id, rule_id, severity, status, category, description, raised_at,"
          + " last_seen_at, cleared_at, cleared_by, count, last_value, peak_value, acknowledged_at,"
          + " acknowledged_by, resolution, remediation_state, ticket_requested_at IS NOT NULL"
          + " FROM alarms";

  private static List<AlarmView> views(Connection c, PreparedStatement select) throws SQLException {
    List<AlarmView> views = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong(1);
        views.add(
            new AlarmView(
                id,
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                instant(rs, 8),
                instant(rs, 9),
                instant(rs, 10),
                rs.getString(11),
                rs.getLong(12),
                (Double) rs.getObject(13),
                (Double) rs.getObject(14),
                instant(rs, 15),
                rs.getString(16),
                rs.getString(17),
                new AlarmView.Remediation(rs.getString(18), List.of()),
                rs.getBoolean(19)));
      }
    }
    List<AlarmView> withActions = new ArrayList<>(views.size());
    for (AlarmView view : views) {
      withActions.add(withActions(c, view));
    }
    return withActions;
  }

  private static AlarmView withActions(Connection c, AlarmView view) throws SQLException {
    Map<String, AlarmView.RemedyAction> actions = new LinkedHashMap<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT type, ts, detail::text FROM alarm_events WHERE alarm_id = ?"
                + " AND type IN ('remedy_sent', 'remedy_result') ORDER BY id")) {
      select.setLong(1, view.id());
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          JsonNode detail = readJson(rs.getString(3));
          String commandId = detail.path("commandId").asText();
          if (rs.getString(1).equals("remedy_sent")) {
            actions.put(
                commandId,
                new AlarmView.RemedyAction(
                    detail.path("command").asText(),
                    commandId,
                    "sent",
                    rs.getTimestamp(2).toInstant()));
          } else if (actions.containsKey(commandId)) {
            AlarmView.RemedyAction sent = actions.get(commandId);
            actions.put(
                commandId,
                new AlarmView.RemedyAction(
                    sent.command(), commandId, detail.path("status").asText(), sent.at()));
          }
        }
      }
    }
    return new AlarmView(
        view.id(),
        view.deviceId(),
        view.ruleId(),
        view.severity(),
        view.status(),
        view.category(),
        view.description(),
        view.raisedAt(),
        view.lastSeenAt(),
        view.clearedAt(),
        view.clearedBy(),
        view.count(),
        view.lastValue(),
        view.peakValue(),
        view.acknowledgedAt(),
        view.acknowledgedBy(),
        view.resolution(),
        new AlarmView.Remediation(view.remediation().state(), List.copyOf(actions.values())),
        view.ticketRequested());
  }

  private static OpenAlarm openAlarm(ResultSet rs) throws SQLException {
    return new OpenAlarm(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getInt(7),
        rs.getString(8),
        instant(rs, 9),
        rs.getBoolean(10),
        rs.getBoolean(11),
        readJson(rs.getString(12)));
  }

  static JsonNode readJson(String text) {
    try {
      return text == null ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored JSON unreadable", e);
    }
  }

  private static void setDouble(PreparedStatement statement, int index, double value)
      throws SQLException {
    if (Double.isNaN(value)) {
      statement.setNull(index, java.sql.Types.DOUBLE);
    } else {
      statement.setDouble(index, value);
    }
  }

  private static double nullableDouble(ResultSet rs, int column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? Double.NaN : value;
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }
}
