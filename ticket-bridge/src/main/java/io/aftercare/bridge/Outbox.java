package io.aftercare.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the event of a ticket change into the outbox, in the change's own transaction, so that no
 * change is committed without its event and no event exists without its change.
 */
final class Outbox {

  static final String OPENED = "ticket.opened";
  static final String UPDATED = "ticket.updated";
  static final String RESOLVED = "ticket.resolved";
  static final String CLOSED = "ticket.closed";

  /** Another alarm of the same fault joined the ticket (docs/tickets.md, fault episodes). */
  static final String ALARM_LINKED = "ticket.alarm_linked";

  /** An appointment was confirmed, or rescheduled (docs/dispatch.md): the customer is told. */
  static final String APPOINTMENT_SET = "ticket.appointment_set";

  /** A confirmed appointment was cancelled (docs/dispatch.md). */
  static final String APPOINTMENT_CANCELLED = "ticket.appointment_cancelled";

  /** A quote was sent to the customer, accepted or rejected (docs/tickets.md, "Quotes"). */
  static final String QUOTE_SENT = "ticket.quote_sent";

  static final String QUOTE_ACCEPTED = "ticket.quote_accepted";
  static final String QUOTE_REJECTED = "ticket.quote_rejected";

  /** The customer accepted or refused the repair (docs/tickets.md, "Acceptance and follow-up"). */
  static final String ACCEPTANCE = "ticket.acceptance_recorded";

  /** A customer reported a fault the case was already open for (docs/tickets.md). */
  static final String CUSTOMER_REPORTED = "ticket.customer_reported";

  /** The customer rated the service through their link (docs/customer-api.md). */
  static final String RATED = "ticket.rated";

  /** A resolved ticket went back to work: the fault was still there or came back. */
  static final String REOPENED = "ticket.reopened";

  /** The archive job filed the ended case away; it never changes again (docs/retention.md). */
  static final String ARCHIVED = "ticket.archived";

  private Outbox() {}

  /**
   * The event type announcing a staff transition from {@code from} into {@code status}. No
   * transition enters {@code open} or {@code archived}: opening and archiving send their own types.
   */
  static String typeFor(TicketStatus from, TicketStatus status) {
    if (from == TicketStatus.RESOLVED && status == TicketStatus.IN_PROGRESS) {
      return REOPENED;
    }
    return switch (status) {
      case RESOLVED -> RESOLVED;
      case CLOSED -> CLOSED;
      default -> UPDATED;
    };
  }

  /**
   * Appends the event with a snapshot of the ticket as it is now in this transaction: the ticket
   * (with its evidence only in {@code ticket.opened}), the alarms of its fault episode and how
   * often it was reopened.
   *
   * <p>The payload is stored sealed ({@link SealedText}) as a jsonb string; events written before
   * V98 hold the clear JSON object until the start-up conversion seals them ({@link
   * CaseFieldSealing}).
   *
   * @return the event id, which is also the webhook-id and idempotency key
   */
  static String append(Connection c, long ticketId, String type, Instant now) throws SQLException {
    return append(c, ticketId, type, now, Map.of());
  }

  /**
   * Like {@link #append(Connection, long, String, Instant)}, with what the event is about beside
   * the ticket, e.g. {@code "appointment"}: each entry becomes a property of the event.
   */
  static String append(
      Connection c, long ticketId, String type, Instant now, Map<String, Object> about)
      throws SQLException {
    Ticket ticket =
        TicketStore.load(c, ticketId, false)
            .orElseThrow(() -> new IllegalStateException("ticket " + ticketId + " vanished"));
    ObjectNode event = newEvent(type, now);
    ObjectNode snapshot = BridgeJson.MAPPER.valueToTree(ticket);
    // The console's queue order, recomputed only when the transaction commits: not the helpdesk's.
    snapshot.remove("nextDeadline");
    snapshot.remove("nextClock");
    if (!OPENED.equals(type)) {
      // The evidence was sent with ticket.opened; later events stay small.
      snapshot.remove("evidence");
    }
    snapshot.set("alarms", BridgeJson.MAPPER.valueToTree(Episodes.alarms(c, ticketId)));
    snapshot.put("reopenCount", Episodes.reopenCount(c, ticketId));
    event.set("ticket", snapshot);
    about.forEach((name, value) -> event.set(name, BridgeJson.MAPPER.valueToTree(value)));
    return insert(c, "ticket_id", ticketId, event, now);
  }

  /** A new event of {@code type} with its fresh id and time; the caller adds its subject. */
  static ObjectNode newEvent(String type, Instant now) {
    ObjectNode event = BridgeJson.MAPPER.createObjectNode();
    event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", ""));
    event.put("type", type);
    event.put("occurredAt", now.toString());
    return event;
  }

  /**
   * Inserts an event made by {@link #newEvent} for the subject named in {@code subjectColumn}
   * ({@code ticket_id}, {@code incident_id} or {@code complaint_id}: a fixed identifier, never
   * input), due for delivery at once.
   *
   * <p>The payload is stored sealed ({@link SealedText}) as a jsonb string; events written before
   * V98 hold the clear JSON object until the start-up conversion seals them ({@link
   * CaseFieldSealing}).
   *
   * @return the event id, which is also the webhook-id and idempotency key
   */
  static String insert(
      Connection c, String subjectColumn, long subjectId, ObjectNode event, Instant now)
      throws SQLException {
    String eventId = event.get("id").asText();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_outbox (event_id, "
                + subjectColumn
                + ", type, payload, created_at, next_attempt_at, retry_since)"
                + " VALUES (?, ?, ?, to_jsonb(?::text), ?, ?, ?)")) {
      insert.setString(1, eventId);
      insert.setLong(2, subjectId);
      insert.setString(3, event.get("type").asText());
      // Sealed at rest (a JSON string holding the sealed text): the event carries the clear
      // customer reference and what customers wrote; DeliveryWorker opens it to send it.
      insert.setString(4, DeskKey.current().seal(BridgeJson.write(event)));
      insert.setTimestamp(5, Timestamp.from(now));
      insert.setTimestamp(6, Timestamp.from(now));
      insert.setTimestamp(7, Timestamp.from(now));
      insert.executeUpdate();
    }
    return eventId;
  }
}
