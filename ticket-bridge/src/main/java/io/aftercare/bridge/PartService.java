package io.aftercare.bridge;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Spare parts for tickets (docs/dispatch.md), as blocking calls for worker threads. Requesting
 * parts for a ticket in progress moves it to awaiting_parts (the repair clock pauses); issuing the
 * last open request moves it back to in_progress. Authorization is the caller's job.
 */
public final class PartService {

  private static final Pattern PART_NUMBER = Pattern.compile("[A-Za-z0-9._/-]{1,64}");
  private static final int MAX_MODEL = 64;
  private static final int MAX_QUANTITY = 1000;

  private final Tx tx;
  private final Clock clock;
  private final BridgeConfig.CustomerCare care;

  PartService(Tx tx, Clock clock, BridgeConfig.CustomerCare care) {
    this.tx = tx;
    this.clock = clock;
    this.care = care;
  }

  /**
   * Requests parts for a ticket in progress (which then waits for them) or already waiting for
   * others; {@code alsoCommit} runs in the same transaction.
   */
  public PartRequest request(
      long ticketId,
      String partNumber,
      Integer quantity,
      String model,
      String actor,
      InTransaction alsoCommit) {
    if (partNumber == null || !PART_NUMBER.matcher(partNumber).matches()) {
      throw invalid("'partNumber' must match " + PART_NUMBER.pattern());
    }
    if (quantity == null || quantity < 1 || quantity > MAX_QUANTITY) {
      throw invalid("'quantity' must be 1 to " + MAX_QUANTITY);
    }
    if (model != null && (model.isBlank() || model.length() > MAX_MODEL)) {
      throw invalid("'model' must be 1 to " + MAX_MODEL + " characters");
    }
    return tx.run(
        c -> {
          Instant now = clock.instant();
          Ticket ticket = TicketStore.lock(c, ticketId);
          if (ticket.status() != TicketStatus.IN_PROGRESS
              && ticket.status() != TicketStatus.AWAITING_PARTS) {
            throw new BridgeException(
                BridgeException.Kind.CONFLICT,
                "parts are requested for tickets in progress; this one is "
                    + ticket.status().wireName());
          }
          PartRequest request =
              PartRequests.insert(c, ticketId, partNumber, model, quantity, actor, now);
          TicketStore.appendTimeline(
              c, ticketId, now, actor, "part_requested", null, null, null, request);
          if (ticket.status() == TicketStatus.IN_PROGRESS) {
            TicketTransitions.apply(
                c,
                ticketId,
                TransitionRequest.to(
                    TicketStatus.AWAITING_PARTS, "waiting for " + quantity + " x " + partNumber),
                actor,
                now,
                care);
          }
          alsoCommit.run(c);
          return request;
        });
  }

  /**
   * Issues an open request from the parts store and logs it; when it was the ticket's last open
   * request and the ticket waits for parts, the ticket goes back to in_progress by {@code actor}.
   */
  public PartIssue issue(long requestId, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          Ticket ticket = TicketStore.lock(c, PartRequests.ticketOf(c, requestId));
          PartRequest request = PartRequests.find(c, requestId);
          if (!"open".equals(request.status())) {
            throw new BridgeException(
                BridgeException.Kind.CONFLICT, "part request " + requestId + " is already issued");
          }
          if (ticket.status().isFinal()) {
            throw new BridgeException(
                BridgeException.Kind.CONFLICT,
                "the ticket is " + ticket.status().wireName() + "; nothing is issued to it");
          }
          PartIssue issued = PartRequests.issue(c, request, ticket.customerRef(), actor, now);
          TicketStore.appendTimeline(
              c,
              ticket.id(),
              now,
              actor,
              "part_issued",
              null,
              null,
              null,
              PartRequests.find(c, requestId));
          if (ticket.status() == TicketStatus.AWAITING_PARTS
              && PartRequests.openCount(c, ticket.id()) == 0) {
            TicketTransitions.apply(
                c,
                ticket.id(),
                TransitionRequest.to(TicketStatus.IN_PROGRESS, "all requested parts issued"),
                actor,
                now,
                care);
          }
          alsoCommit.run(c);
          return issued;
        });
  }

  /** The issue log over [from, to), oldest first. */
  public List<PartIssue> issues(Instant from, Instant to, int limit) {
    if (!from.isBefore(to)) {
      throw invalid("'from' must be before 'to'");
    }
    return tx.run(c -> PartRequests.issuedBetween(c, from, to, limit));
  }

  private static BridgeException invalid(String message) {
    return new BridgeException(BridgeException.Kind.INVALID, message);
  }
}
