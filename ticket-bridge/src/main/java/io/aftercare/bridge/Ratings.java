package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Satisfaction ratings with who entered them (docs/tickets.md, "Acceptance and follow-up"): the
 * score staff give at closing ({@code staff}) and the customer's own through the link ({@code
 * customer}), kept apart so that the KPIs can report the customer's own ratings separately.
 */
public final class Ratings {

  static final Set<String> CATEGORIES =
      Set.of("overall", "response_time", "repair_quality", "technician", "communication", "price");

  /**
   * What was said: a score 1..5, an optional comment and a category from {@link #CATEGORIES}
   * (optional for staff, who give only the score when closing).
   */
  record Entry(Integer score, String comment, String category) {
    Entry {
      if (score == null || score < 1 || score > 5) {
        throw invalid("'score' must be 1 to 5");
      }
      if (comment != null && comment.length() > Quotes.MAX_COMMENT) {
        throw invalid("'comment' is longer than " + Quotes.MAX_COMMENT + " characters");
      }
      if (category != null && !CATEGORIES.contains(category)) {
        throw invalid("'category' must be one of " + CATEGORIES);
      }
    }
  }

  /** A rating as shown to staff. */
  public record Rating(
      int score, String comment, String category, String source, String actor, Instant at) {}

  /** The latest rating of each source; null where there is none. */
  public record BySource(Rating staff, Rating customer) {}

  private Ratings() {}

  static void record(
      Connection c, long ticketId, Entry entry, String source, String actor, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_satisfaction (ticket_id, score, comment, category, source, actor,"
                + " at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, ticketId);
      insert.setInt(2, entry.score());
      insert.setString(3, entry.comment());
      insert.setString(4, entry.category());
      insert.setString(5, source);
      insert.setString(6, actor);
      insert.setTimestamp(7, Timestamp.from(now));
      insert.executeUpdate();
    }
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        actor,
        "satisfaction",
        null,
        null,
        entry.comment(),
        entry.category() == null
            ? Map.of("score", entry.score(), "source", source)
            : Map.of("score", entry.score(), "source", source, "category", entry.category()));
  }

  static BySource latest(Connection c, long ticketId) throws SQLException {
    return new BySource(latest(c, ticketId, "staff"), latest(c, ticketId, "customer"));
  }

  static Rating latest(Connection c, long ticketId, String source) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT score, comment, category, source, actor, at FROM ticket_satisfaction"
                + " WHERE ticket_id = ? AND source = ? ORDER BY id DESC LIMIT 1")) {
      select.setLong(1, ticketId);
      select.setString(2, source);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Rating(
            rs.getInt("score"),
            rs.getString("comment"),
            rs.getString("category"),
            rs.getString("source"),
            rs.getString("actor"),
            rs.getTimestamp("at").toInstant());
      }
    }
  }

  private static BridgeException invalid(String message) {
    return new BridgeException(BridgeException.Kind.INVALID, message);
  }
}
