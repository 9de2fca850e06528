package io.aftercare.platform.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SQL of the {@code notifications} table, always in the caller's transaction. */
final class NotificationQueue {

  private static final String COLUMNS =
      "id, rule, channel, target, kind, subject, severity, title, body, created_at, status,"
          + " attempts, sent_at, last_error, digest_id";

  private NotificationQueue() {}

  /**
   * Queues one notification, or records it {@code deduplicated} when the same rule notified the
   * same subject and kind on this channel within {@code window}.
   */
  static void enqueue(
      Connection c,
      String rule,
      String channel,
      String target,
      NotificationEvent event,
      Instant now,
      Duration window)
      throws SQLException {
    boolean duplicate;
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT 1 FROM notifications WHERE rule = ? AND channel = ? AND subject = ? AND kind = ?"
                + " AND status <> 'deduplicated' AND created_at > ? LIMIT 1")) {
      select.setString(1, rule);
      select.setString(2, channel);
      select.setString(3, event.subject());
      select.setString(4, event.kind());
      select.setTimestamp(5, Timestamp.from(now.minus(window)));
      try (ResultSet rs = select.executeQuery()) {
        duplicate = rs.next();
      }
    }
    insert(
        c,
        rule,
        channel,
        target,
        event.kind(),
        event.subject(),
        event.severity(),
        event.title(),
        event.body(),
        now,
        duplicate ? "deduplicated" : "pending");
  }

  static long insert(
      Connection c,
      String rule,
      String channel,
      String target,
      String kind,
      String subject,
      String severity,
      String title,
      String body,
      Instant now,
      String status)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO notifications (rule, channel, target, kind, subject, severity, title,"
                + " body, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, rule);
      insert.setString(2, channel);
      insert.setString(3, target);
      insert.setString(4, kind);
      insert.setString(5, subject);
      insert.setString(6, severity);
      insert.setString(7, title);
      insert.setString(8, body);
      insert.setTimestamp(9, Timestamp.from(now));
      insert.setString(10, status);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The destinations with something pending: channel and target. */
  static List<String[]> pendingDestinations(Connection c) throws SQLException {
    List<String[]> destinations = new ArrayList<>();
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT DISTINCT channel, target FROM notifications WHERE status = 'pending'");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        destinations.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    return destinations;
  }

  /**
   * The destination's pending notifications, oldest first, locked so that a second instance does
   * not send them too.
   */
  static List<Notification> lockPending(Connection c, String channel, String target)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM notifications WHERE status = 'pending' AND channel = ? AND target = ?"
                + " ORDER BY id FOR UPDATE SKIP LOCKED")) {
      select.setString(1, channel);
      select.setString(2, target);
      return read(select);
    }
  }

  /** Messages the channel sent since {@code since}: a digest counts as one. */
  static int sentSince(Connection c, String channel, Instant since) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT count(*) FROM notifications WHERE channel = ? AND status = 'sent'"
                + " AND sent_at > ?")) {
      select.setString(1, channel);
      select.setTimestamp(2, Timestamp.from(since));
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  static void markSent(Connection c, long id, Instant at) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE notifications SET status = 'sent', sent_at = ?, attempts = attempts + 1,"
                + " last_error = NULL WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(at));
      update.setLong(2, id);
      update.executeUpdate();
    }
  }

  static void markDigested(Connection c, List<Notification> members, long digestId, Instant at)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE notifications SET status = 'digested', digest_id = ?, sent_at = ? WHERE id = ?")) {
      for (Notification member : members) {
        update.setLong(1, digestId);
        update.setTimestamp(2, Timestamp.from(at));
        update.setLong(3, member.id());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /** A failed attempt: stays pending for the next round, or {@code failed} when refused. */
  static void markFailed(Connection c, long id, String error, boolean permanent)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE notifications SET attempts = attempts + 1, last_error = ?,"
                + " status = CASE WHEN ? THEN 'failed' ELSE status END WHERE id = ?")) {
      update.setString(1, error);
      update.setBoolean(2, permanent);
      update.setLong(3, id);
      update.executeUpdate();
    }
  }

  /** The newest notifications first, for the console. */
  static List<Notification> recent(Connection c, String status, int limit) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM notifications WHERE (?::text IS NULL OR status = ?)"
                + " ORDER BY id DESC LIMIT ?")) {
      select.setString(1, status);
      select.setString(2, status);
      select.setInt(3, limit);
      return read(select);
    }
  }

  private static List<Notification> read(PreparedStatement select) throws SQLException {
    List<Notification> rows = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        Timestamp sentAt = rs.getTimestamp("sent_at");
        rows.add(
            new Notification(
                rs.getLong("id"),
                rs.getString("rule"),
                rs.getString("channel"),
                rs.getString("target"),
                rs.getString("kind"),
                rs.getString("subject"),
                rs.getString("severity"),
                rs.getString("title"),
                rs.getString("body"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("status"),
                rs.getInt("attempts"),
                sentAt == null ? null : sentAt.toInstant(),
                rs.getString("last_error"),
                rs.getObject("digest_id", Long.class)));
      }
    }
    return rows;
  }
}
