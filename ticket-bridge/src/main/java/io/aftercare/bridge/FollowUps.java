package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The follow-up (return visit or call) of a resolved case, inside the caller's transaction
 * (docs/tickets.md, "Acceptance and follow-up"): opened at each resolution with its own due date;
 * staff record their attempts to reach the customer.
 */
public final class FollowUps {

  private static final Set<String> OUTCOMES = Set.of("reached", "unreachable");

  /** One attempt to reach the customer. */
  public record Attempt(String outcome, String note, String actor, Instant at) {}

  /**
   * @param status open, done (the customer was reached) or superseded (the case was reopened and
   *     resolved again: a new follow-up replaced it)
   */
  public record FollowUp(
      long id, Instant createdAt, Instant dueAt, String status, List<Attempt> attempts) {}

  private FollowUps() {}

  /** Opens the follow-up of a resolution; an earlier one still open is superseded. */
  static void open(Connection c, long ticketId, Instant now, Duration due) throws SQLException {
    try (PreparedStatement supersede =
        c.prepareStatement(
            "UPDATE ticket_follow_ups SET status = 'superseded' WHERE ticket_id = ?"
                + " AND status = 'open'")) {
      supersede.setLong(1, ticketId);
      supersede.executeUpdate();
    }
    Instant dueAt = now.plus(due);
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_follow_ups (ticket_id, created_at, due_at, status)"
                + " VALUES (?, ?, ?, 'open')")) {
      insert.setLong(1, ticketId);
      insert.setTimestamp(2, Timestamp.from(now));
      insert.setTimestamp(3, Timestamp.from(dueAt));
      insert.executeUpdate();
    }
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        "bridge",
        "follow_up_created",
        null,
        null,
        "follow-up due by " + dueAt,
        Map.of("dueAt", dueAt.toString()));
  }

  /**
   * Records an attempt on the ticket's open follow-up; reaching the customer completes it.
   *
   * @param outcome reached or unreachable
   */
  static FollowUp attempt(
      Connection c, long ticketId, String outcome, String note, String actor, Instant now)
      throws SQLException {
    if (outcome == null || !OUTCOMES.contains(outcome)) {
      throw new BridgeException(
          BridgeException.Kind.INVALID, "'outcome' must be one of " + OUTCOMES);
    }
    if (note != null && note.length() > Quotes.MAX_COMMENT) {
      throw new BridgeException(
          BridgeException.Kind.INVALID,
          "'note' is longer than " + Quotes.MAX_COMMENT + " characters");
    }
    TicketStore.lock(c, ticketId);
    FollowUp open = current(c, ticketId);
    if (open == null || !"open".equals(open.status())) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "the ticket has no open follow-up: one is created when the ticket is resolved");
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_follow_up_attempts (follow_up_id, outcome, note, actor, at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setLong(1, open.id());
      insert.setString(2, outcome);
      insert.setString(3, DeskKey.current().seal(note));
      insert.setString(4, actor);
      insert.setTimestamp(5, Timestamp.from(now));
      insert.executeUpdate();
    }
    if ("reached".equals(outcome)) {
      try (PreparedStatement done =
          c.prepareStatement("UPDATE ticket_follow_ups SET status = 'done' WHERE id = ?")) {
        done.setLong(1, open.id());
        done.executeUpdate();
      }
    }
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        actor,
        "follow_up_attempt",
        null,
        null,
        note,
        Map.of("followUpId", open.id(), "outcome", outcome));
    return current(c, ticketId);
  }

  /** The ticket's latest follow-up with its attempts; null before the first resolution. */
  static FollowUp current(Connection c, long ticketId) throws SQLException {
    FollowUp followUp;
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, created_at, due_at, status FROM ticket_follow_ups WHERE ticket_id = ?"
                + " ORDER BY id DESC LIMIT 1")) {
      select.setLong(1, ticketId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        followUp =
            new FollowUp(
                rs.getLong("id"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("due_at").toInstant(),
                rs.getString("status"),
                List.of());
      }
    }
    List<Attempt> attempts = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT outcome, note, actor, at FROM ticket_follow_up_attempts"
                + " WHERE follow_up_id = ? ORDER BY id")) {
      select.setLong(1, followUp.id());
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          attempts.add(
              new Attempt(
                  rs.getString("outcome"),
                  DeskKey.current().open(rs.getString("note")),
                  rs.getString("actor"),
                  rs.getTimestamp("at").toInstant()));
        }
      }
    }
    return new FollowUp(
        followUp.id(), followUp.createdAt(), followUp.dueAt(), followUp.status(), attempts);
  }

  /** Attempts of the latest follow-up that found the customer unreachable. */
  static long unreachable(Connection c, long ticketId) throws SQLException {
    FollowUp followUp = current(c, ticketId);
    return followUp == null
        ? 0
        : followUp.attempts().stream().filter(a -> "unreachable".equals(a.outcome())).count();
  }
}
