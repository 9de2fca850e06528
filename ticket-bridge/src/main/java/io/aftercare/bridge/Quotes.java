package io.aftercare.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Quotes for out-of-warranty work, inside the caller's transaction (docs/tickets.md, "Quotes"): a
 * new quote supersedes the pending one; only a pending quote is decided, once; work on an
 * out-of-warranty case starts only after the customer accepted one.
 */
final class Quotes {

  static final int MAX_COMMENT = 2000;
  private static final String OUT_OF_WARRANTY = "out_of_warranty";
  private static final TypeReference<List<QuoteRequest.Line>> LINES = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, ticket_id, status, currency, lines::text AS lines, labour, estimated_minutes, total,"
          + " created_at, created_by, decided_at, decided_by, decision_comment";

  private Quotes() {}

  static Quote send(Connection c, long ticketId, QuoteRequest request, String actor, Instant now)
      throws SQLException {
    Ticket ticket = TicketStore.lock(c, ticketId);
    if (ticket.status().isFinal() || ticket.status() == TicketStatus.RESOLVED) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "a quote is sent before the work is done; the ticket is " + ticket.status().wireName());
    }
    try (PreparedStatement supersede =
        c.prepareStatement(
            "UPDATE ticket_quotes SET status = 'superseded' WHERE ticket_id = ?"
                + " AND status = 'pending'")) {
      supersede.setLong(1, ticketId);
      supersede.executeUpdate();
    }
    long id;
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_quotes (ticket_id, status, currency, lines, labour,"
                + " estimated_minutes, total, created_at, created_by) VALUES (?, 'pending', ?,"
                + " ?::jsonb, ?, ?, ?, ?, ?) RETURNING id")) {
      insert.setLong(1, ticketId);
      insert.setString(2, request.currency());
      insert.setString(3, BridgeJson.write(request.lines()));
      insert.setBigDecimal(4, request.labour());
      insert.setInt(5, request.estimatedMinutes());
      insert.setBigDecimal(6, request.total());
      insert.setTimestamp(7, Timestamp.from(now));
      insert.setString(8, actor);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    Quote quote = find(c, ticketId, id).orElseThrow();
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        actor,
        "quote_sent",
        null,
        null,
        "quote " + id + ": " + quote.total().toPlainString() + " " + quote.currency(),
        Map.of("quoteId", id, "total", quote.total(), "currency", quote.currency()));
    Outbox.append(c, ticketId, Outbox.QUOTE_SENT, now, Map.of("quote", quote));
    return quote;
  }

  /**
   * Records the customer's decision on a pending quote.
   *
   * @param actor {@code customer} or {@code helpdesk:<agent>}
   */
  static Quote decide(
      Connection c,
      long ticketId,
      long quoteId,
      boolean accept,
      String comment,
      String actor,
      Instant now)
      throws SQLException {
    if (comment != null && comment.length() > MAX_COMMENT) {
      throw new BridgeException(
          BridgeException.Kind.INVALID, "'comment' is longer than " + MAX_COMMENT + " characters");
    }
    Ticket ticket = TicketStore.lock(c, ticketId);
    if (ticket.status().isFinal()) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "the ticket is " + ticket.status().wireName() + ": its quotes can no longer be decided");
    }
    Quote quote =
        find(c, ticketId, quoteId)
            .orElseThrow(
                () -> new BridgeException(BridgeException.Kind.NOT_FOUND, "no such quote"));
    if (!"pending".equals(quote.status())) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "quote " + quoteId + " is " + quote.status() + ": only a pending quote can be decided");
    }
    String status = accept ? "accepted" : "rejected";
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE ticket_quotes SET status = ?, decided_at = ?, decided_by = ?,"
                + " decision_comment = ? WHERE id = ?")) {
      update.setString(1, status);
      update.setTimestamp(2, Timestamp.from(now));
      update.setString(3, actor);
      update.setString(4, comment);
      update.setLong(5, quoteId);
      update.executeUpdate();
    }
    Quote decided = find(c, ticketId, quoteId).orElseThrow();
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        actor,
        accept ? "quote_accepted" : "quote_rejected",
        null,
        null,
        comment,
        Map.of("quoteId", quoteId));
    Outbox.append(
        c,
        ticketId,
        accept ? Outbox.QUOTE_ACCEPTED : Outbox.QUOTE_REJECTED,
        now,
        Map.of("quote", decided));
    return decided;
  }

  /**
   * Refuses the start of work on an out-of-warranty case (warranty as judged from the sale date
   * when the ticket opened) while no quote of it is accepted. A case of unknown warranty is not
   * held: staff decide whether to quote it.
   */
  static void requireAcceptedIfOutOfWarranty(Connection c, Ticket ticket) throws SQLException {
    TicketEvidence.Device device = ticket.evidence() == null ? null : ticket.evidence().device();
    boolean outOfWarranty =
        device != null
            && device.warranty() != null
            && OUT_OF_WARRANTY.equals(device.warranty().status());
    if (!outOfWarranty) {
      return;
    }
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT count(*) FROM ticket_quotes WHERE ticket_id = ? AND status = 'accepted'")) {
      select.setLong(1, ticket.id());
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        if (rs.getLong(1) == 0) {
          throw new BridgeException(
              BridgeException.Kind.CONFLICT,
              "the device is out of warranty: work starts only after the customer accepted a"
                  + " quote");
        }
      }
    }
  }

  /** The ticket's quotes, oldest first. */
  static List<Quote> list(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM ticket_quotes WHERE ticket_id = ? ORDER BY id")) {
      select.setLong(1, ticketId);
      return all(select);
    }
  }

  private static Optional<Quote> find(Connection c, long ticketId, long quoteId)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM ticket_quotes WHERE id = ? AND ticket_id = ?")) {
      select.setLong(1, quoteId);
      select.setLong(2, ticketId);
      return Rows.first(all(select));
    }
  }

  private static List<Quote> all(PreparedStatement select) throws SQLException {
    List<Quote> quotes = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        Timestamp decidedAt = rs.getTimestamp("decided_at");
        quotes.add(
            new Quote(
                rs.getLong("id"),
                rs.getLong("ticket_id"),
                rs.getString("status"),
                rs.getString("currency"),
                lines(rs.getString("lines")),
                rs.getBigDecimal("labour"),
                rs.getInt("estimated_minutes"),
                rs.getBigDecimal("total"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"),
                decidedAt == null ? null : decidedAt.toInstant(),
                rs.getString("decided_by"),
                rs.getString("decision_comment")));
      }
    }
    return quotes;
  }

  private static List<QuoteRequest.Line> lines(String json) {
    try {
      return BridgeJson.MAPPER.readValue(json, LINES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored quote lines are unreadable", e);
    }
  }
}
