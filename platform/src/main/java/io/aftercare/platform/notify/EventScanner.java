package io.aftercare.platform.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the alarm raises and escalations ({@code alarm_events}) and the ticket events the bridge
 * writes to its outbox ({@code ticket_outbox}) that have not been looked at yet. The bridge knows
 * nothing of notifications: its outbox rows are only read here.
 *
 * <p>Ids of a bigserial are handed out before commit, so a transaction committing late can leave a
 * lower id behind rows already read. The scan therefore re-reads the last {@link #OVERLAP} ids of
 * each source, and {@code notification_sources} remembers which rows were handled.
 *
 * <p>An alarm event that happened before the end of its alarm's snooze ({@code snoozed_until}) is
 * read and not notified: staff who snoozed the alarm asked not to hear about it until then. It is
 * dropped, not sent later; once the snooze ends the alarm is back in the queue, and its later
 * events notify as usual.
 */
final class EventScanner {

  static final String ALARMS = "alarm_events";
  static final String TICKETS = "ticket_outbox";

  private static final long OVERLAP = 1000;
  private static final int BATCH = 500;

  private static final String ALARM_SQL =
      "SELECT e.id, 'alarm.' || e.type AS kind, 'alarm/' || a.id AS ref,"
          + " 'device/' || a.device_id || '/rule/' || a.rule_id AS subject,"
          + " COALESCE(e.severity, a.severity) AS severity, a.category, d.type AS device_type,"
          + " a.device_id, a.description,"
          + " (a.snoozed_until IS NOT NULL AND e.ts < a.snoozed_until) AS snoozed"
          + " FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id"
          + " JOIN devices d ON d.id = a.device_id"
          + " WHERE e.id > ? AND e.type IN ('raised', 'escalated')"
          + " AND NOT EXISTS (SELECT 1 FROM notification_sources s"
          + "   WHERE s.source = 'alarm_events' AND s.source_id = e.id)"
          + " ORDER BY e.id LIMIT ?";

  private static final String TICKET_SQL =
      "SELECT o.id, o.type AS kind, 'ticket/' || t.id AS ref, 'ticket/' || t.id AS subject,"
          + " t.severity, t.category,"
          + " t.device_type, t.device_id, t.reason AS description, false AS snoozed"
          + " FROM ticket_outbox o JOIN tickets t ON t.id = o.ticket_id"
          + " WHERE o.id > ?"
          + " AND NOT EXISTS (SELECT 1 FROM notification_sources s"
          + "   WHERE s.source = 'ticket_outbox' AND s.source_id = o.id)"
          + " ORDER BY o.id LIMIT ?";

  private EventScanner() {}

  /**
   * The unread events of both sources, marked read in the caller's transaction. A source read for
   * the first time starts at its newest row: history is not notified.
   */
  static List<NotificationEvent> next(Connection c) throws SQLException {
    List<NotificationEvent> events = new ArrayList<>();
    events.addAll(next(c, ALARMS, ALARM_SQL));
    events.addAll(next(c, TICKETS, TICKET_SQL));
    return events;
  }

  private static List<NotificationEvent> next(Connection c, String source, String sql)
      throws SQLException {
    long cursor = cursor(c, source);
    List<NotificationEvent> events = new ArrayList<>();
    long highest = cursor;
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setLong(1, Math.max(0, cursor - OVERLAP));
      select.setInt(2, BATCH);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong("id");
          highest = Math.max(highest, id);
          markRead(c, source, id);
          if (rs.getBoolean("snoozed")) {
            continue;
          }
          events.add(
              new NotificationEvent(
                  rs.getString("kind"),
                  rs.getString("ref"),
                  rs.getString("subject"),
                  rs.getString("severity"),
                  rs.getString("category"),
                  rs.getString("device_type"),
                  rs.getString("device_id"),
                  rs.getString("description")));
        }
      }
    }
    if (highest > cursor) {
      advance(c, source, highest);
    }
    return events;
  }

  /**
   * Creates the cursors missing at their source's newest row: what happened before notifications
   * were first enabled is not notified. Done at start, before any event is missed.
   */
  static Void startCursors(Connection c) throws SQLException {
    for (String source : List.of(ALARMS, TICKETS)) {
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO notification_cursors (source, last_id)"
                  + " SELECT ?, COALESCE(MAX(id), 0) FROM "
                  + source
                  + " ON CONFLICT (source) DO NOTHING")) {
        insert.setString(1, source);
        insert.executeUpdate();
      }
    }
    return null;
  }

  /** The source's cursor, locked for this transaction. */
  private static long cursor(Connection c, String source) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT last_id FROM notification_cursors WHERE source = ? FOR UPDATE")) {
      select.setString(1, source);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void markRead(Connection c, String source, long id) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO notification_sources (source, source_id) VALUES (?, ?)")) {
      insert.setString(1, source);
      insert.setLong(2, id);
      insert.executeUpdate();
    }
  }

  /** Moves the cursor; rows below the re-read overlap are no longer needed to avoid doubles. */
  private static void advance(Connection c, String source, long to) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE notification_cursors SET last_id = ? WHERE source = ?")) {
      update.setLong(1, to);
      update.setString(2, source);
      update.executeUpdate();
    }
    try (PreparedStatement prune =
        c.prepareStatement(
            "DELETE FROM notification_sources WHERE source = ? AND source_id <= ?")) {
      prune.setString(1, source);
      prune.setLong(2, to - OVERLAP);
      prune.executeUpdate();
    }
  }
}
