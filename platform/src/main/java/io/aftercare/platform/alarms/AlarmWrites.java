package io.aftercare.platform.alarms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmSnapshot;
import io.aftercare.diagnostics.rules.Severity;
import io.aftercare.platform.remediation.RemediationState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * SQL that changes alarms, always inside the caller's transaction: the diagnostics runner stores an
 * engine change and its remote-fix-first decision in one. The partial unique index keeps one open
 * alarm per device and rule even if two writers raced.
 */
public final class AlarmWrites {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Severities by rank, least severe first, as SQL; the order of {@link Severity}. */
  private static final String SEVERITY_RANK =
      Arrays.stream(Severity.values())
          .map(s -> "'" + s.wireName() + "'")
          .collect(Collectors.joining(",", "ARRAY[", "]::text[]"));

  private AlarmWrites() {}

  /**
   * Stores a new alarm, {@code undecided}, with its {@code raised} event; empty when the device
   * already has the rule's alarm open (another node raised it first: its insert is waited for).
   */
  public static Optional<OpenAlarm> insert(Connection c, AlarmChange change) throws SQLException {
    AlarmSnapshot alarm = change.alarm();
    long id;
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO alarms (device_id, rule_id, severity, status, category, description,"
                + " raised_at, last_seen_at, count, last_value, peak_value, open_ticket, remedies,"
                + " remediation_state, details, model, firmware)"
                + " VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb,"
                // What the device runs now, read in the same statement: the trend by model and
                // firmware attributes the alarm to it even after an upgrade.
                + " (SELECT model FROM devices WHERE id = ?), (SELECT firmware FROM devices"
                + " WHERE id = ?))"
                + " ON CONFLICT (device_id, rule_id) WHERE status <> 'cleared' DO NOTHING"
                + " RETURNING id")) {
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
      insert.setString(12, json(change.remedies()));
      insert.setString(13, RemediationState.UNDECIDED.wireName());
      insert.setString(14, AlarmDetails.json(alarm.forecast()));
      insert.setString(15, change.deviceId());
      insert.setString(16, change.deviceId());
      try (ResultSet rs = insert.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        id = rs.getLong("id");
      }
    }
    event(c, id, change.at(), AlarmEventType.RAISED, alarm.severity(), change.actor(), null);
    return Optional.of(
        new OpenAlarm(
            id,
            change.deviceId(),
            change.ruleId(),
            alarm.severity(),
            change.category(),
            RemediationState.UNDECIDED,
            0,
            null,
            null,
            change.openTicket(),
            false,
            change.remedies()));
  }

  /**
   * A repeat or an escalation: the counters move, and a forecast rule's fresh forecast replaces the
   * stored one; an escalation is also an event. Severity, last seen and count only ever go up, so
   * an engine whose state lags behind another's (a node the device is leaving) cannot step them
   * back.
   */
  public static void recurred(Connection c, long id, AlarmChange change) throws SQLException {
    AlarmSnapshot alarm = change.alarm();
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE alarms SET severity = CASE WHEN array_position("
                + SEVERITY_RANK
                + ", ?)"
                + " > array_position("
                + SEVERITY_RANK
                + ", severity) THEN ? ELSE severity END,"
                + " last_seen_at = GREATEST(last_seen_at, ?), count = GREATEST(count, ?),"
                + " last_value = ?, peak_value = ?, details = COALESCE(?::jsonb, details)"
                + " WHERE id = ?")) {
      update.setString(1, alarm.severity().wireName());
      update.setString(2, alarm.severity().wireName());
      update.setTimestamp(3, Timestamp.from(alarm.lastSeenAt()));
      update.setLong(4, alarm.count());
      setDouble(update, 5, alarm.lastValue());
      setDouble(update, 6, alarm.peakValue());
      update.setString(7, AlarmDetails.json(alarm.forecast()));
      update.setLong(8, id);
      update.executeUpdate();
    }
    if (change.type() == io.aftercare.diagnostics.alarm.AlarmChangeType.ESCALATED) {
      event(c, id, change.at(), AlarmEventType.ESCALATED, alarm.severity(), null, null);
    }
  }

  /** Staff acknowledged the alarm; {@code note} (may be null) is what they wrote with it. */
  public static void acknowledged(Connection c, long id, AlarmChange change, String note)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE alarms SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?,"
                + " ack_note = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(change.at()));
      update.setString(2, change.actor());
      update.setString(3, note);
      update.setLong(4, id);
      update.executeUpdate();
    }
    event(
        c,
        id,
        change.at(),
        AlarmEventType.ACKNOWLEDGED,
        change.alarm().severity(),
        change.actor(),
        note == null ? null : JSON.createObjectNode().put("note", note));
  }

  /** Closes the alarm; a remote fix also ends its remediation as {@code fixed}. */
  public static void cleared(Connection c, long id, AlarmChange change, Resolution resolution)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE alarms SET status = 'cleared', cleared_at = ?, cleared_by = ?, resolution = ?,"
                + " remediation_state = CASE WHEN ? THEN 'fixed' ELSE remediation_state END,"
                + " remediation_deadline = NULL WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(change.at()));
      update.setString(2, change.actor());
      update.setString(3, resolution.wireName());
      update.setBoolean(4, resolution == Resolution.FIXED_REMOTELY);
      update.setLong(5, id);
      update.executeUpdate();
    }
    event(
        c,
        id,
        change.at(),
        AlarmEventType.CLEARED,
        change.alarm().severity(),
        change.actor(),
        JSON.createObjectNode().put("resolution", resolution.wireName()));
  }

  /** Appends to the alarm's history; {@code detail} may be null. */
  public static void event(
      Connection c,
      long alarmId,
      Instant at,
      AlarmEventType type,
      Severity severity,
      String actor,
      ObjectNode detail)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO alarm_events (alarm_id, ts, type, severity, actor, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
      insert.setLong(1, alarmId);
      insert.setTimestamp(2, Timestamp.from(at));
      insert.setString(3, type.wireName());
      insert.setString(4, severity == null ? null : severity.wireName());
      insert.setString(5, actor);
      insert.setString(6, detail == null ? null : detail.toString());
      insert.executeUpdate();
    }
  }

  /** Stores the alarm's remediation progress as {@code alarm} holds it. */
  public static void remediation(Connection c, OpenAlarm alarm) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE alarms SET remediation_state = ?, remediation_step = ?,"
                + " remediation_command_id = ?, remediation_deadline = ? WHERE id = ?")) {
      update.setString(1, alarm.state().wireName());
      update.setInt(2, alarm.step());
      update.setString(3, alarm.commandId());
      update.setTimestamp(4, alarm.deadline() == null ? null : Timestamp.from(alarm.deadline()));
      update.setLong(5, alarm.id());
      update.executeUpdate();
    }
  }

  public static void markTicketRequested(Connection c, long id, Instant at) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE alarms SET ticket_requested_at = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(at));
      update.setLong(2, id);
      update.executeUpdate();
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void setDouble(PreparedStatement statement, int index, double value)
      throws SQLException {
    if (Double.isNaN(value)) {
      statement.setNull(index, Types.DOUBLE);
    } else {
      statement.setDouble(index, value);
    }
  }
}
