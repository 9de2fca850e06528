package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Dead outbox events: listed for staff, and re-driven (made pending again) on request. */
final class DeadLetters {

  private DeadLetters() {}

  static List<DeadLetter> list(Connection c, int limit) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, event_id, ticket_id, type, attempts, last_error, created_at, dead_at"
                + " FROM ticket_outbox WHERE status = 'dead' ORDER BY id LIMIT ?")) {
      select.setInt(1, limit);
      List<DeadLetter> dead = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          dead.add(
              new DeadLetter(
                  rs.getLong("id"),
                  rs.getString("event_id"),
                  rs.getObject("ticket_id", Long.class),
                  rs.getString("type"),
                  rs.getInt("attempts"),
                  rs.getString("last_error"),
                  rs.getTimestamp("created_at").toInstant(),
                  rs.getTimestamp("dead_at").toInstant()));
        }
      }
      return dead;
    }
  }

  /**
   * Makes a dead event pending again with a fresh retry horizon, and re-enables a helpdesk endpoint
   * that answered 410: a re-drive is staff saying the helpdesk is back.
   */
  static void redrive(Connection c, long id, Instant now) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE ticket_outbox SET status = 'pending', next_attempt_at = ?, retry_since = ?,"
                + " dead_at = NULL WHERE id = ? AND status = 'dead'")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setTimestamp(2, Timestamp.from(now));
      update.setLong(3, id);
      if (update.executeUpdate() == 0) {
        throw new BridgeException(BridgeException.Kind.NOT_FOUND, "no such dead letter");
      }
    }
    try (PreparedStatement enable =
        c.prepareStatement("UPDATE helpdesk_endpoints SET disabled_at = NULL, reason = NULL")) {
      enable.executeUpdate();
    }
  }
}
