package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Records that the customer cannot be reached or let the technician in, and that they can again: a
 * timeline entry each, which pauses and resumes the repair clock (docs/tickets.md, "SLA clocks").
 */
final class CustomerAvailability {

  static final String UNAVAILABLE = "customer_unavailable";
  static final String AVAILABLE = "customer_available";

  private static final int MAX_NOTE = 2000;

  private CustomerAvailability() {}

  /**
   * @param available null is refused: the request must say which way the customer's availability
   *     changes
   */
  static void record(
      Connection c, long ticketId, Boolean available, String note, String actor, Instant now)
      throws SQLException {
    if (available == null) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'available' is required");
    }
    if (note != null && note.length() > MAX_NOTE) {
      throw new BridgeException(
          BridgeException.Kind.INVALID, "'note' is longer than " + MAX_NOTE + " characters");
    }
    Ticket ticket = TicketStore.lock(c, ticketId);
    if (ticket.status().isFinal()) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "the ticket is "
              + ticket.status().wireName()
              + ": its customer availability cannot change");
    }
    if (available != isAway(TicketStore.timeline(c, ticketId))) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "the customer is already marked " + (available ? "available" : "unavailable"));
    }
    TicketStore.appendTimeline(
        c, ticketId, now, actor, available ? AVAILABLE : UNAVAILABLE, null, null, note, null);
    try (PreparedStatement update =
        c.prepareStatement("UPDATE tickets SET updated_at = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setLong(2, ticketId);
      update.executeUpdate();
    }
    Outbox.append(c, ticketId, Outbox.UPDATED, now);
  }

  /** The customer is away from their last {@code customer_unavailable} until marked available. */
  private static boolean isAway(List<TimelineEntry> timeline) {
    boolean away = false;
    for (TimelineEntry entry : timeline) {
      if (UNAVAILABLE.equals(entry.kind())) {
        away = true;
      } else if (AVAILABLE.equals(entry.kind())) {
        away = false;
      }
    }
    return away;
  }
}
