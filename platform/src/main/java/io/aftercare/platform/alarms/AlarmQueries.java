package io.aftercare.platform.alarms;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.diagnostics.alarm.AlarmSnapshot;
import io.aftercare.diagnostics.alarm.AlarmStatus;
import io.aftercare.diagnostics.rules.DiagnosisCategory;
import io.aftercare.diagnostics.rules.Remedy;
import io.aftercare.diagnostics.rules.Severity;
import io.aftercare.platform.command.CommandStatus;
import io.aftercare.platform.db.TimestampColumn;
import io.aftercare.platform.remediation.RemediationState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SQL that reads alarms for the diagnostics runtime: open alarms for remote-fix-first (locked where
 * a decision follows), the start-up sweep, and the engine's restore. The API reads {@link
 * AlarmViews}.
 */
public final class AlarmQueries {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<Remedy>> REMEDIES = new TypeReference<>() {};

  private static final String OPEN_SELECT =
      "SELECT a.id, a.device_id, a.rule_id, a.severity, a.category, a.remediation_state,"
          + " a.remediation_step, a.remediation_command_id, a.remediation_deadline,"
          + " a.open_ticket, a.ticket_requested_at IS NOT NULL AS ticket_requested,"
          + " a.remedies::text AS remedies FROM alarms a";

  private static final String SNAPSHOT_SELECT =
      "SELECT d.id, d.type, d.model, d.firmware, a.rule_id, a.severity, a.status,"
          + " a.raised_at, a.last_seen_at, a.count, a.last_value, a.peak_value,"
          + " a.acknowledged_at, a.acknowledged_by, a.details::text AS details"
          + " FROM alarms a JOIN devices d ON d.id = a.device_id";

  /** An alarm waiting on a command that has already ended, with that command's status. */
  public record FinishedRemedy(OpenAlarm alarm, CommandStatus status) {}

  private AlarmQueries() {}

  /** The open alarm of a device and rule, locked until the transaction ends. */
  public static Optional<OpenAlarm> findOpen(Connection c, String deviceId, String ruleId)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            OPEN_SELECT
                + " WHERE a.device_id = ? AND a.rule_id = ? AND a.status <> 'cleared'"
                + " FOR UPDATE")) {
      select.setString(1, deviceId);
      select.setString(2, ruleId);
      return first(openAlarms(select));
    }
  }

  /**
   * Whether the device's alarm of the rule was last cleared by data (not by a fix or by staff)
   * stamped after {@code at}: a change of that alarm stamped {@code at} comes from stale state.
   */
  public static boolean clearedByNewerData(Connection c, String deviceId, String ruleId, Instant at)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT resolution = 'condition_cleared' AND cleared_by IS NULL AND cleared_at > ?"
                + " FROM alarms WHERE device_id = ? AND rule_id = ? AND status = 'cleared'"
                + " ORDER BY cleared_at DESC LIMIT 1")) {
      select.setTimestamp(1, Timestamp.from(at));
      select.setString(2, deviceId);
      select.setString(3, ruleId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** An open alarm by id, locked until the transaction ends. */
  public static Optional<OpenAlarm> findOpen(Connection c, long id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(OPEN_SELECT + " WHERE a.id = ? AND a.status <> 'cleared' FOR UPDATE")) {
      select.setLong(1, id);
      return first(openAlarms(select));
    }
  }

  /** The status of alarm {@code id} (active, acknowledged, cleared), locked; empty if none. */
  public static Optional<String> status(Connection c, long id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT status FROM alarms WHERE id = ? FOR UPDATE")) {
      select.setLong(1, id);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Open alarms waiting on {@code commandId} (several when they share one fix). */
  public static List<OpenAlarm> tryingOn(Connection c, String commandId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            OPEN_SELECT
                + " WHERE a.remediation_command_id = ? AND a.status <> 'cleared'"
                + " AND a.remediation_state = 'trying' ORDER BY a.id")) {
      select.setString(1, commandId);
      return openAlarms(select);
    }
  }

  /** Verifications whose window has passed at {@code now}. */
  public static List<OpenAlarm> verificationsDue(Connection c, Instant now) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            OPEN_SELECT
                + " WHERE a.status <> 'cleared' AND a.remediation_state = 'verifying'"
                + " AND a.remediation_deadline <= ? ORDER BY a.id")) {
      select.setTimestamp(1, Timestamp.from(now));
      return openAlarms(select);
    }
  }

  /**
   * Another open alarm of the device whose current remedy is the same command with the same
   * parameters, still out or being verified: one fault often trips several rules, and the device
   * should get one reboot (or one firmware rollback), not one per rule.
   */
  public static Optional<OpenAlarm> sameRemedyUnderWay(
      Connection c, String deviceId, Remedy remedy, long exceptAlarmId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            OPEN_SELECT
                + " WHERE a.device_id = ? AND a.id <> ? AND a.status <> 'cleared'"
                + " AND a.remediation_state IN ('trying', 'verifying')"
                + " AND a.remediation_command_id IS NOT NULL"
                + " AND a.remedies -> a.remediation_step ->> 'command' = ?"
                + " AND COALESCE(a.remedies -> a.remediation_step -> 'params', '{}'::jsonb)"
                + " = ?::jsonb ORDER BY a.id LIMIT 1")) {
      select.setString(1, deviceId);
      select.setLong(2, exceptAlarmId);
      select.setString(3, remedy.command());
      select.setString(4, JSON.valueToTree(remedy.params()).toString());
      return first(openAlarms(select));
    }
  }

  /**
   * Open alarms stored without their remote-fix-first decision; not those held on purpose while
   * their home may turn out degraded as a whole (DegradationHolds decides them).
   */
  public static List<OpenAlarm> undecided(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            OPEN_SELECT
                + " WHERE a.status <> 'cleared' AND a.remediation_state = 'undecided'"
                + " AND a.home_hold_until IS NULL ORDER BY a.id")) {
      return openAlarms(select);
    }
  }

  /**
   * Open alarms that ended remote-fix-first without asking for the ticket their rule wants, and
   * that no home outage or fleet incident explains.
   */
  public static List<OpenAlarm> ticketNeverRequested(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            OPEN_SELECT
                + " WHERE a.status <> 'cleared' AND a.remediation_state IN ('none', 'exhausted')"
                + " AND a.open_ticket AND a.ticket_requested_at IS NULL"
                // One a home outage explains wants no ticket of its own (HomeOutages), nor one a
                // fleet incident explains (FleetIncidents).
                + " AND a.home_alarm_id IS NULL AND a.incident_id IS NULL ORDER BY a.id")) {
      return openAlarms(select);
    }
  }

  /** Open alarms still trying a remedy whose command has ended: its result was never taken. */
  public static List<FinishedRemedy> finishedRemedies(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            OPEN_SELECT.replace(" FROM alarms a", ", cmd.status AS command_status FROM alarms a")
                + " JOIN commands cmd ON cmd.id = a.remediation_command_id"
                + " WHERE a.status <> 'cleared' AND a.remediation_state = 'trying'"
                + " AND cmd.status IN ('succeeded', 'failed', 'timed_out', 'expired', 'rejected')"
                + " ORDER BY a.id")) {
      List<FinishedRemedy> finished = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          finished.add(
              new FinishedRemedy(
                  openAlarm(rs), CommandStatus.fromWireName(rs.getString("command_status"))));
        }
      }
      return finished;
    }
  }

  /**
   * The open alarms of the devices {@code deviceIds} (a text array) as the engine persisted them,
   * to rebuild their state.
   */
  public static List<AlarmSnapshot> openSnapshotsOfDevices(Connection c, Array deviceIds)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            SNAPSHOT_SELECT + " WHERE a.device_id = ANY (?) AND a.status <> 'cleared'")) {
      select.setArray(1, deviceIds);
      List<AlarmSnapshot> snapshots = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          snapshots.add(snapshot(rs));
        }
      }
      return snapshots;
    }
  }

  /** The open alarms of the rules {@code ruleIds} (a text array), as the engine persisted them. */
  public static List<AlarmSnapshot> openSnapshotsOf(Connection c, Array ruleIds)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            SNAPSHOT_SELECT + " WHERE a.rule_id = ANY (?) AND a.status <> 'cleared'")) {
      select.setArray(1, ruleIds);
      List<AlarmSnapshot> snapshots = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          snapshots.add(snapshot(rs));
        }
      }
      return snapshots;
    }
  }

  /** An open alarm whose device was heard from at {@code at}, after the alarm was raised. */
  public record HeardAgain(AlarmSnapshot alarm, Instant at) {}

  /**
   * Open alarms of the rules {@code ruleIds} (absence rules) whose device is connected, or was
   * heard from after the alarm was raised.
   */
  public static List<HeardAgain> heardSinceRaised(Connection c, Array ruleIds) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            SNAPSHOT_SELECT.replace(
                    " FROM alarms a",
                    ", GREATEST(d.last_seen_at, d.online_changed_at) AS heard_at FROM alarms a")
                + " WHERE a.rule_id = ANY (?) AND a.status <> 'cleared'"
                + " AND (d.online OR d.last_seen_at > a.raised_at)")) {
      select.setArray(1, ruleIds);
      List<HeardAgain> heard = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          AlarmSnapshot alarm = snapshot(rs);
          Instant at = TimestampColumn.read(rs, "heard_at");
          heard.add(new HeardAgain(alarm, at == null ? alarm.lastSeenAt() : at));
        }
      }
      return heard;
    }
  }

  private static AlarmSnapshot snapshot(ResultSet rs) throws SQLException {
    return new AlarmSnapshot(
        DeviceProfiles.read(rs),
        rs.getString("rule_id"),
        severity(rs.getString("severity")),
        AlarmStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
        TimestampColumn.read(rs, "raised_at"),
        TimestampColumn.read(rs, "last_seen_at"),
        rs.getLong("count"),
        nanIfNull(rs, "last_value"),
        nanIfNull(rs, "peak_value"),
        TimestampColumn.read(rs, "acknowledged_at"),
        rs.getString("acknowledged_by"),
        AlarmDetails.forecastIn(rs.getString("details")));
  }

  private static List<OpenAlarm> openAlarms(PreparedStatement select) throws SQLException {
    List<OpenAlarm> alarms = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        alarms.add(openAlarm(rs));
      }
    }
    return alarms;
  }

  private static OpenAlarm openAlarm(ResultSet rs) throws SQLException {
    return new OpenAlarm(
        rs.getLong("id"),
        rs.getString("device_id"),
        rs.getString("rule_id"),
        severity(rs.getString("severity")),
        DiagnosisCategory.valueOf(rs.getString("category").toUpperCase(Locale.ROOT)),
        RemediationState.fromWireName(rs.getString("remediation_state")),
        rs.getInt("remediation_step"),
        rs.getString("remediation_command_id"),
        TimestampColumn.read(rs, "remediation_deadline"),
        rs.getBoolean("open_ticket"),
        rs.getBoolean("ticket_requested"),
        remedies(rs.getString("remedies")));
  }

  private static List<Remedy> remedies(String json) {
    try {
      return JSON.readValue(json, REMEDIES);
    } catch (IOException e) {
      throw new UncheckedIOException("stored remedies unreadable", e);
    }
  }

  private static Severity severity(String wireName) {
    return Severity.valueOf(wireName.toUpperCase(Locale.ROOT));
  }

  static <T> Optional<T> first(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private static double nanIfNull(ResultSet rs, String column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? Double.NaN : value;
  }
}
