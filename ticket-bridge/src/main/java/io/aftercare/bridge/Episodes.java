package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL for fault episodes (docs/tickets.md), inside the caller's transaction: which ticket an alarm
 * belongs to, and the alarms linked to a ticket.
 */
final class Episodes {

  /** Tickets people are still working on: neither resolved nor ended. */
  private static final String WORKING =
      "status NOT IN ('resolved', 'closed', 'cancelled', 'archived')";

  /** Namespace of the per-device advisory lock (the ASCII of "tick"). */
  private static final int LOCK_SPACE = 0x7469636b;

  /**
   * An alarm linked to a ticket.
   *
   * @param alarmId the platform's alarm; null for a link of a ticket older than episodes that had
   *     none recorded
   * @param clearedAt when the alarm cleared; null while it is active
   */
  public record LinkedAlarm(Long alarmId, String ruleId, Instant joinedAt, Instant clearedAt) {}

  private Episodes() {}

  /**
   * Serialises the requests of one device until the transaction ends, so that two rules of one
   * fault processed at once cannot both open a ticket.
   */
  static void lockDevice(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, LOCK_SPACE);
      lock.setString(2, deviceId);
      lock.executeQuery().close();
    }
  }

  /**
   * The working ticket of the device opened for this rule or to which this rule's alarms are
   * linked. The opening rule counts on its own, as in the one-live-ticket-per-fault index, so that
   * a ticket whose alarm link is missing (written outside the bridge) is joined, not opened again
   * against the index.
   */
  static Optional<Long> workingWithRule(Connection c, String deviceId, String ruleId)
      throws SQLException {
    return firstId(
        c,
        "SELECT t.id FROM tickets t WHERE t.device_id = ? AND t."
            + WORKING
            + " AND (t.rule_id = ? OR EXISTS (SELECT 1 FROM ticket_alarms a WHERE a.ticket_id = t.id"
            + " AND a.rule_id = ?)) ORDER BY t.id DESC LIMIT 1",
        deviceId,
        ruleId,
        ruleId);
  }

  /**
   * The device's working ticket of this category, or reported by the customer (whatever its
   * category), opened at or after {@code since}.
   */
  static Optional<Long> workingInCategory(
      Connection c, String deviceId, Category category, Instant since) throws SQLException {
    return firstId(
        c,
        "SELECT id FROM tickets WHERE device_id = ? AND (category = ? OR source = 'reported') AND "
            + WORKING
            + " AND opened_at >= ? ORDER BY id DESC LIMIT 1",
        deviceId,
        category.wireName(),
        Timestamp.from(since));
  }

  /**
   * The device's ticket of this category, or one an alarm of this rule was linked to, resolved (and
   * not closed) at or after {@code since}. The rule matters for a customer-reported case: it has no
   * category, but an alarm that joined it says which fault it was.
   */
  static Optional<Long> resolvedInEpisode(
      Connection c, String deviceId, Category category, String ruleId, Instant since)
      throws SQLException {
    return firstId(
        c,
        "SELECT t.id FROM tickets t WHERE t.device_id = ? AND t.status = 'resolved'"
            + " AND (t.category = ? OR EXISTS (SELECT 1 FROM ticket_alarms a"
            + " WHERE a.ticket_id = t.id AND a.rule_id = ?))"
            + " AND t.resolved_at >= ? ORDER BY t.resolved_at DESC, t.id DESC LIMIT 1",
        deviceId,
        category.wireName(),
        ruleId,
        Timestamp.from(since));
  }

  /** Whether the ticket has an active (not cleared) alarm of this rule. */
  static boolean hasActive(Connection c, long ticketId, String ruleId) throws SQLException {
    return count(
            c,
            "SELECT count(*) FROM ticket_alarms WHERE ticket_id = ? AND rule_id = ?"
                + " AND cleared_at IS NULL",
            ticketId,
            ruleId)
        > 0;
  }

  /** The ticket's alarms still active. */
  static long active(Connection c, long ticketId) throws SQLException {
    return count(
        c,
        "SELECT count(*) FROM ticket_alarms WHERE ticket_id = ? AND cleared_at IS NULL",
        ticketId);
  }

  static void link(Connection c, long ticketId, Long alarmId, String ruleId, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_alarms (ticket_id, alarm_id, rule_id, joined_at)"
                + " VALUES (?, ?, ?, ?)")) {
      insert.setLong(1, ticketId);
      insert.setObject(2, alarmId);
      insert.setString(3, ruleId);
      insert.setTimestamp(4, Timestamp.from(now));
      insert.executeUpdate();
    }
  }

  /**
   * Marks the device's active alarms of this rule cleared on its tickets not yet ended.
   *
   * @return the ticket they were linked to, the newest if several
   */
  static Optional<Long> clear(Connection c, String deviceId, String ruleId, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE ticket_alarms a SET cleared_at = ? FROM tickets t WHERE a.ticket_id = t.id"
                + " AND t.device_id = ? AND a.rule_id = ? AND a.cleared_at IS NULL"
                + " AND t.status NOT IN ('closed', 'cancelled', 'archived') RETURNING a.ticket_id")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setString(2, deviceId);
      update.setString(3, ruleId);
      Optional<Long> newest = Optional.empty();
      try (ResultSet rs = update.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          if (newest.isEmpty() || id > newest.get()) {
            newest = Optional.of(id);
          }
        }
      }
      return newest;
    }
  }

  static void countReopen(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE tickets SET reopen_count = reopen_count + 1 WHERE id = ?")) {
      update.setLong(1, ticketId);
      update.executeUpdate();
    }
  }

  static int reopenCount(Connection c, long ticketId) throws SQLException {
    return (int) count(c, "SELECT reopen_count FROM tickets WHERE id = ?", ticketId);
  }

  static List<LinkedAlarm> alarms(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT alarm_id, rule_id, joined_at, cleared_at FROM ticket_alarms"
                + " WHERE ticket_id = ? ORDER BY id")) {
      select.setLong(1, ticketId);
      List<LinkedAlarm> alarms = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Timestamp cleared = rs.getTimestamp("cleared_at");
          alarms.add(
              new LinkedAlarm(
                  rs.getObject("alarm_id", Long.class),
                  rs.getString("rule_id"),
                  rs.getTimestamp("joined_at").toInstant(),
                  cleared == null ? null : cleared.toInstant()));
        }
      }
      return alarms;
    }
  }

  private static Optional<Long> firstId(Connection c, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  private static long count(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
