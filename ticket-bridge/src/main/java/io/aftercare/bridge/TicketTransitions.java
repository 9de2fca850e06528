package io.aftercare.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Validates and applies one ticket transition inside the caller's transaction: the ticket row, its
 * timeline entry and its outbox event change together. Work on an out-of-warranty case starts only
 * once the customer accepted a quote; a resolution opens the follow-up; closing needs the
 * customer's sign-off (docs/tickets.md, "Quotes" and "Acceptance and follow-up").
 */
final class TicketTransitions {

  private static final Set<String> CHANNELS = Set.of("remote", "on_site");
  private static final int MAX_NOTE = 2000;

  private TicketTransitions() {}

  static Ticket apply(
      Connection c,
      long ticketId,
      TransitionRequest request,
      String actor,
      Instant now,
      BridgeConfig.CustomerCare care)
      throws SQLException {
    Ticket ticket = TicketStore.lock(c, ticketId);
    TicketStatus to = TicketStatus.fromWireName(request.to());
    TicketStatus from = ticket.status();
    if (from == TicketStatus.ARCHIVED) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT, "ticket " + ticketId + " is archived and never changes");
    }
    if (to == TicketStatus.ARCHIVED) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "cases are archived by the archive job after tickets.archiveAfter, not by a transition");
    }
    if (!from.next().contains(to)) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "a ticket cannot go from " + from.wireName() + " to " + to.wireName());
    }
    validate(to, request);
    if (to == TicketStatus.DISPATCHED) {
      // Only a qualified technician is sent (docs/dispatch.md).
      Technicians.requireQualified(
          c,
          "assignee",
          request.assignee(),
          ticket.deviceType(),
          LocalDate.ofInstant(now, ZoneOffset.UTC));
    }
    if (from == TicketStatus.DISPATCHED && to == TicketStatus.IN_PROGRESS) {
      Quotes.requireAcceptedIfOutOfWarranty(c, ticket);
    }
    if (to == TicketStatus.CLOSED) {
      Acceptances.requireSignOff(c, ticketId, care.unreachableAttempts());
    }

    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE tickets SET status = ?, updated_at = ?,"
                // The reopen window counts from the latest resolution.
                + " resolved_at = CASE WHEN ? THEN ? ELSE resolved_at END,"
                // The first person to make contact owns the case from then on.
                + " owner = CASE WHEN ? AND owner IS NULL THEN ? ELSE owner END,"
                + " assignee = COALESCE(?, assignee), channel = COALESCE(?, channel),"
                + " satisfaction = COALESCE(?, satisfaction) WHERE id = ?")) {
      update.setString(1, to.wireName());
      update.setTimestamp(2, Timestamp.from(now));
      update.setBoolean(3, to == TicketStatus.RESOLVED);
      update.setTimestamp(4, Timestamp.from(now));
      update.setBoolean(5, to == TicketStatus.ACKNOWLEDGED);
      update.setString(6, actor);
      update.setString(7, request.assignee());
      update.setString(8, request.channel());
      if (request.satisfaction() == null) {
        update.setNull(9, Types.INTEGER);
      } else {
        update.setInt(9, request.satisfaction());
      }
      update.setLong(10, ticketId);
      update.executeUpdate();
    }
    ObjectNode detail = BridgeJson.MAPPER.createObjectNode();
    if (request.assignee() != null) {
      detail.put("assignee", request.assignee());
    }
    if (request.channel() != null) {
      detail.put("channel", request.channel());
    }
    if (request.satisfaction() != null) {
      detail.put("satisfaction", request.satisfaction());
    }
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        actor,
        "transition",
        from,
        to,
        request.note(),
        detail.isEmpty() ? null : detail);
    if (request.satisfaction() != null) {
      Ratings.record(
          c, ticketId, new Ratings.Entry(request.satisfaction(), null, null), "staff", actor, now);
    }
    if (to == TicketStatus.RESOLVED) {
      FollowUps.open(c, ticketId, now, care.followUpDue());
    }
    Outbox.append(c, ticketId, Outbox.typeFor(from, to), now);
    return TicketStore.load(c, ticketId, false).orElseThrow();
  }

  private static void validate(TicketStatus to, TransitionRequest request) {
    if (request.note() != null && request.note().length() > MAX_NOTE) {
      throw invalid("'note' is longer than " + MAX_NOTE + " characters");
    }
    if (to == TicketStatus.DISPATCHED) {
      if (request.assignee() == null || request.assignee().isBlank()) {
        throw invalid("dispatching needs an 'assignee'");
      }
      if (!CHANNELS.contains(request.channel())) {
        throw invalid("dispatching needs a 'channel': remote or on_site");
      }
    } else if (request.assignee() != null || request.channel() != null) {
      throw invalid("'assignee' and 'channel' are set only when dispatching");
    }
    if (to == TicketStatus.CLOSED) {
      Integer score = request.satisfaction();
      if (score != null && (score < 1 || score > 5)) {
        throw invalid("'satisfaction' must be a score from 1 to 5");
      }
    } else if (request.satisfaction() != null) {
      throw invalid("'satisfaction' is recorded only when closing");
    }
    if (to == TicketStatus.CANCELLED && (request.note() == null || request.note().isBlank())) {
      throw invalid("cancelling needs a 'note' with the reason");
    }
  }

  private static BridgeException invalid(String message) {
    return new BridgeException(BridgeException.Kind.INVALID, message);
  }
}
