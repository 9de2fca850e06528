package io.aftercare.platform.command;

import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.db.TimestampColumn;
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

/** SQL for commands. Every method runs inside the caller's connection (and transaction). */
final class CommandStore {

  private static final String COLUMNS =
      "id, device_id, name, params::text AS params, risk, status, requested_by, created_at,"
          + " expires_at, delivery_timeout_ms, sent_at, accepted_at, completed_at, timed_out_at,"
          + " expired_at, output::text AS output, late_status, late_output::text AS late_output,"
          + " late_at, approval_due_at, decided_by, decided_at";

  private CommandStore() {}

  static void insert(Connection c, Command command, String from, String idempotencyKey)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO commands (id, device_id, name, params, risk, status, requested_by,"
                + " requested_from, idempotency_key, created_at, expires_at, delivery_timeout_ms,"
                + " approval_due_at)"
                + " VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, command.id());
      insert.setString(2, command.deviceId());
      insert.setString(3, command.name());
      insert.setString(4, command.paramsJson());
      insert.setString(5, command.risk().wireName());
      insert.setString(6, command.status().wireName());
      insert.setString(7, command.requestedBy());
      insert.setString(8, from);
      insert.setString(9, idempotencyKey);
      insert.setTimestamp(10, Timestamp.from(command.createdAt()));
      insert.setTimestamp(11, Timestamp.from(command.expiresAt()));
      insert.setLong(12, command.deliveryTimeoutSeconds() * 1000);
      insert.setTimestamp(
          13, command.approvalDueAt() == null ? null : Timestamp.from(command.approvalDueAt()));
      insert.executeUpdate();
    }
    recordTransition(
        c, command.id(), command.createdAt(), null, command.status(), command.requestedBy(), null);
  }

  static Optional<Command> find(Connection c, String commandId, boolean forUpdate)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM commands WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
      select.setString(1, commandId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  static Optional<Command> findByIdempotencyKey(Connection c, String requestedBy, String key)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM commands WHERE requested_by = ? AND idempotency_key = ?")) {
      select.setString(1, requestedBy);
      select.setString(2, key);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** The device's type, or empty if there is no such device. */
  static Optional<String> deviceType(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT type FROM devices WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString("type")) : Optional.empty();
      }
    }
  }

  /** Locks the device row so that concurrent submissions count in-flight commands one at a time. */
  static int lockDeviceAndCountOpen(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement("SELECT 1 FROM devices WHERE id = ? FOR UPDATE")) {
      lock.setString(1, deviceId);
      lock.executeQuery().close();
    }
    try (PreparedStatement count =
        c.prepareStatement(
            "SELECT count(*) AS open_commands FROM commands WHERE device_id = ?"
                + " AND status IN ('awaiting_approval', 'queued', 'sent', 'accepted')")) {
      count.setString(1, deviceId);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getInt("open_commands");
      }
    }
  }

  /** Queued commands still within their TTL, in the order they were submitted. */
  static List<Command> pending(Connection c, String deviceId, Instant now) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM commands WHERE device_id = ? AND status = 'queued'"
                + " AND expires_at > ? ORDER BY seq")) {
      select.setString(1, deviceId);
      select.setTimestamp(2, Timestamp.from(now));
      return readAll(select);
    }
  }

  /**
   * The device's commands, newest first, optionally only those with this status and name, older
   * than the command {@code beforeId} (keyset on the delivery sequence) when it is given.
   */
  static List<Command> history(Connection c, CommandHistoryQuery query) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM commands WHERE device_id = ?"
                + " AND (?::text IS NULL OR status = ?) AND (?::text IS NULL OR name = ?)"
                + " AND (?::text IS NULL OR seq < (SELECT b.seq FROM commands b WHERE b.id = ?))"
                + " ORDER BY seq DESC LIMIT ?")) {
      int i = 1;
      select.setString(i++, query.deviceId());
      for (String value : new String[] {query.status(), query.name(), query.beforeId()}) {
        select.setString(i++, value);
        select.setString(i++, value);
      }
      select.setInt(i, query.limit());
      return readAll(select);
    }
  }

  static List<CommandTransition> transitions(Connection c, String commandId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT ts, from_status, to_status, actor, note FROM command_transitions"
                + " WHERE command_id = ? ORDER BY id")) {
      select.setString(1, commandId);
      List<CommandTransition> transitions = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          transitions.add(
              new CommandTransition(
                  TimestampColumn.read(rs, "ts"),
                  rs.getString("from_status"),
                  rs.getString("to_status"),
                  rs.getString("actor"),
                  rs.getString("note")));
        }
      }
      return transitions;
    }
  }

  /** Moves a command to {@code to}, setting that state's timestamp, and records the transition. */
  static void moveTo(
      Connection c,
      Command command,
      CommandStatus to,
      Instant at,
      String actor,
      String outputJson,
      String note)
      throws SQLException {
    String timestampColumn =
        switch (to) {
          case SENT -> "sent_at";
          case ACCEPTED -> "accepted_at";
          case SUCCEEDED, FAILED -> "completed_at";
          case TIMED_OUT -> "timed_out_at";
          case EXPIRED -> "expired_at";
          case AWAITING_APPROVAL, QUEUED, REJECTED ->
              throw new IllegalArgumentException(
                  "commands enter " + to.wireName() + " only when created or decided");
        };
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE commands SET status = ?, "
                + timestampColumn
                + " = ?,"
                + " output = COALESCE(?::jsonb, output) WHERE id = ?")) {
      update.setString(1, to.wireName());
      update.setTimestamp(2, Timestamp.from(at));
      update.setString(3, outputJson);
      update.setString(4, command.id());
      update.executeUpdate();
    }
    recordTransition(c, command.id(), at, command.status(), to, actor, note);
  }

  /**
   * Records a second approver's decision: approved, the command is queued and its TTL starts now
   * (it was set from the submission: {@code expires_at - created_at}); rejected, it ends.
   */
  static void decide(
      Connection c, Command command, boolean approved, Instant at, String by, String note)
      throws SQLException {
    CommandStatus to = approved ? CommandStatus.QUEUED : CommandStatus.REJECTED;
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE commands SET status = ?, decided_by = ?, decided_at = ?,"
                + " expires_at = CASE WHEN ?::boolean THEN ?::timestamptz + (expires_at - created_at)"
                + " ELSE expires_at END"
                + " WHERE id = ?")) {
      update.setString(1, to.wireName());
      update.setString(2, by);
      update.setTimestamp(3, Timestamp.from(at));
      update.setBoolean(4, approved);
      update.setTimestamp(5, Timestamp.from(at));
      update.setString(6, command.id());
      update.executeUpdate();
    }
    recordTransition(c, command.id(), at, command.status(), to, by, note);
  }

  static void recordLate(
      Connection c, Command command, String status, String outputJson, Instant at, String actor)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE commands SET late_status = ?, late_output = ?::jsonb, late_at = ? WHERE id = ?")) {
      update.setString(1, status);
      update.setString(2, outputJson);
      update.setTimestamp(3, Timestamp.from(at));
      update.setString(4, command.id());
      update.executeUpdate();
    }
    recordTransition(
        c, command.id(), at, command.status(), command.status(), actor, "late result: " + status);
  }

  /** Commands whose result or delivery is overdue at {@code now}, locked for the sweep. */
  static List<Command> overdue(Connection c, Instant now, int limit) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM commands WHERE"
                + " (status = 'queued' AND expires_at <= ?)"
                + " OR (status = 'awaiting_approval' AND approval_due_at <= ?)"
                + " OR (status IN ('sent', 'accepted')"
                + "     AND sent_at + delivery_timeout_ms * INTERVAL '1 millisecond' <= ?)"
                + " ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED")) {
      select.setTimestamp(1, Timestamp.from(now));
      select.setTimestamp(2, Timestamp.from(now));
      select.setTimestamp(3, Timestamp.from(now));
      select.setInt(4, limit);
      return readAll(select);
    }
  }

  static void audit(
      Connection c, String actor, String action, Command command, String from, String detailJson)
      throws SQLException {
    AuditLog.append(
        c,
        AuditEntry.of(actor, action, "command/" + command.id(), AuditEntry.Outcome.ALLOWED, from)
            .withDetail(detailJson));
  }

  private static void recordTransition(
      Connection c,
      String commandId,
      Instant at,
      CommandStatus from,
      CommandStatus to,
      String actor,
      String note)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO command_transitions (command_id, ts, from_status, to_status, actor, note)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, commandId);
      insert.setTimestamp(2, Timestamp.from(at));
      insert.setString(3, from == null ? null : from.wireName());
      insert.setString(4, to.wireName());
      insert.setString(5, actor);
      insert.setString(6, note);
      insert.executeUpdate();
    }
  }

  private static List<Command> readAll(PreparedStatement select) throws SQLException {
    List<Command> commands = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        commands.add(read(rs));
      }
    }
    return commands;
  }

  private static Command read(ResultSet rs) throws SQLException {
    String lateStatus = rs.getString("late_status");
    return new Command(
        rs.getString("id"),
        rs.getString("device_id"),
        rs.getString("name"),
        rs.getString("params"),
        Risk.valueOf(rs.getString("risk").toUpperCase(Locale.ROOT)),
        CommandStatus.fromWireName(rs.getString("status")),
        rs.getString("requested_by"),
        TimestampColumn.read(rs, "created_at"),
        TimestampColumn.read(rs, "expires_at"),
        rs.getLong("delivery_timeout_ms") / 1000,
        TimestampColumn.read(rs, "sent_at"),
        TimestampColumn.read(rs, "accepted_at"),
        TimestampColumn.read(rs, "completed_at"),
        TimestampColumn.read(rs, "timed_out_at"),
        TimestampColumn.read(rs, "expired_at"),
        rs.getString("output"),
        lateStatus == null
            ? null
            : new Command.LateResult(
                lateStatus, rs.getString("late_output"), TimestampColumn.read(rs, "late_at")),
        TimestampColumn.read(rs, "approval_due_at"),
        rs.getString("decided_by"),
        TimestampColumn.read(rs, "decided_at"));
  }
}
