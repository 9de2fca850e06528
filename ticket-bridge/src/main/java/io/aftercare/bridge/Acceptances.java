package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * The customer's acceptance (sign-off) of a repair, inside the caller's transaction
 * (docs/tickets.md, "Acceptance and follow-up"): said through the customer's link or recorded by
 * staff, only while the ticket is resolved. Closing needs an acceptance of the latest resolution,
 * or the follow-up having found the customer unreachable often enough.
 */
public final class Acceptances {

  /**
   * @param source customer (through the link) or staff
   */
  public record Acceptance(
      boolean accepted, String comment, String source, String actor, Instant at) {}

  private Acceptances() {}

  static Acceptance record(
      Connection c,
      long ticketId,
      Boolean accepted,
      String comment,
      String source,
      String actor,
      Instant now)
      throws SQLException {
    if (accepted == null) {
      throw new BridgeException(
          BridgeException.Kind.INVALID, "'accepted' (true or false) is required");
    }
    if (comment != null && comment.length() > Quotes.MAX_COMMENT) {
      throw new BridgeException(
          BridgeException.Kind.INVALID,
          "'comment' is longer than " + Quotes.MAX_COMMENT + " characters");
    }
    Ticket ticket = TicketStore.lock(c, ticketId);
    if (ticket.status() != TicketStatus.RESOLVED) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "a repair is accepted once it is resolved; the ticket is " + ticket.status().wireName());
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_acceptances (ticket_id, accepted, comment, source, actor, at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, ticketId);
      insert.setBoolean(2, accepted);
      insert.setString(3, comment);
      insert.setString(4, source);
      insert.setString(5, actor);
      insert.setTimestamp(6, Timestamp.from(now));
      insert.executeUpdate();
    }
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        actor,
        "acceptance",
        null,
        null,
        comment,
        Map.of("accepted", accepted, "source", source));
    Outbox.append(
        c,
        ticketId,
        Outbox.ACCEPTANCE,
        now,
        Map.of("acceptance", Map.of("accepted", accepted, "source", source)));
    return latestOfResolution(c, ticketId);
  }

  /** The latest acceptance given since the ticket was last resolved; null when none. */
  static Acceptance latestOfResolution(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT a.accepted, a.comment, a.source, a.actor, a.at FROM ticket_acceptances a"
                + " JOIN tickets t ON t.id = a.ticket_id WHERE a.ticket_id = ?"
                + " AND a.at >= t.resolved_at ORDER BY a.id DESC LIMIT 1")) {
      select.setLong(1, ticketId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Acceptance(
            rs.getBoolean("accepted"),
            rs.getString("comment"),
            rs.getString("source"),
            rs.getString("actor"),
            rs.getTimestamp("at").toInstant());
      }
    }
  }

  /**
   * Refuses closing unless the customer accepted the latest resolution, or the follow-up found them
   * unreachable at least {@code unreachableAttempts} times.
   */
  static void requireSignOff(Connection c, long ticketId, int unreachableAttempts)
      throws SQLException {
    Acceptance acceptance = latestOfResolution(c, ticketId);
    if (acceptance != null && acceptance.accepted()) {
      return;
    }
    if (FollowUps.unreachable(c, ticketId) >= unreachableAttempts) {
      return;
    }
    throw new BridgeException(
        BridgeException.Kind.CONFLICT,
        acceptance == null
            ? "closing needs the customer's acceptance of the repair (through their link or"
                + " recorded by staff), or "
                + unreachableAttempts
                + " follow-up attempts that found the customer unreachable"
            : "the customer did not accept the repair: take it back to in_progress");
  }
}
