package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns rows of {@code ticket_requests} (written by the diagnostics engine) into ticket changes,
 * each exactly once: a row is claimed with {@code FOR UPDATE SKIP LOCKED} and marked processed in
 * the same transaction as the ticket change and its outbox event.
 *
 * <p>Rows of one (device, rule) are taken in order: a row waits while an earlier one of the same
 * fault is unprocessed, so that a clear is never applied before the opening it clears.
 */
final class RequestProcessor {

  static final String ACTOR = "bridge";

  private final Tx tx;
  private final Clock clock;
  private final PriorityMatrix priorities;
  private final int warrantyMonths;

  RequestProcessor(Tx tx, Clock clock, PriorityMatrix priorities, int warrantyMonths) {
    this.tx = tx;
    this.clock = clock;
    this.priorities = priorities;
    this.warrantyMonths = warrantyMonths;
  }

  /** Processes requests until none is waiting; returns how many. */
  int drain() {
    int processed = 0;
    while (true) {
      try {
        if (!tx.run(this::processNext)) {
          return processed;
        }
        processed++;
      } catch (Tx.DatabaseException e) {
        // Two processors opened a ticket for the same fault at once; the loser's row stays
        // unprocessed and, taken again, attaches to the winner's ticket.
        if (!e.isUniqueViolation()) {
          throw e;
        }
      }
    }
  }

  private boolean processNext(Connection c) throws SQLException {
    try (PreparedStatement claim =
        c.prepareStatement(
            "SELECT id, kind, device_id, rule_id, category, severity, reason, evidence::text,"
                + " alarm_id FROM ticket_requests r WHERE processed_at IS NULL AND NOT EXISTS"
                + " (SELECT 1 FROM ticket_requests e WHERE e.processed_at IS NULL"
                + " AND e.device_id = r.device_id AND e.rule_id = r.rule_id AND e.id < r.id)"
                + " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
      try (ResultSet rs = claim.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        Request request = Request.read(rs);
        Instant now = clock.instant();
        Long ticketId =
            request.kind() == TicketRequests.Kind.OPEN
                ? open(c, request, now)
                : cleared(c, request, now);
        markProcessed(c, request.id(), ticketId, now);
        return true;
      }
    }
  }

  /** A claimed row of {@code ticket_requests}; the evidence is read only for openings. */
  private record Request(
      long id,
      TicketRequests.Kind kind,
      String deviceId,
      String ruleId,
      Category category,
      Severity severity,
      String reason,
      String evidenceJson,
      Long alarmId) {

    static Request read(ResultSet rs) throws SQLException {
      return new Request(
          rs.getLong("id"),
          TicketRequests.Kind.fromWireName(rs.getString("kind")),
          rs.getString("device_id"),
          rs.getString("rule_id"),
          Category.fromWireName(rs.getString("category")),
          Severity.fromWireName(rs.getString("severity")),
          rs.getString("reason"),
          rs.getString("evidence"),
          rs.getObject("alarm_id", Long.class));
    }

    TicketEvidence evidence() {
      return BridgeJson.read(evidenceJson, TicketEvidence.class);
    }
  }

  /** The timeline detail of a repeated request attached to the live ticket. */
  record EvidenceAdded(long requestId, Severity severity, TicketEvidence evidence) {}

  private long open(Connection c, Request request, Instant now) throws SQLException {
    Optional<Ticket> live = TicketStore.lockLive(c, request.deviceId(), request.ruleId());
    if (live.isPresent()) {
      long ticketId = live.get().id();
      TicketStore.appendTimeline(
          c,
          ticketId,
          now,
          ACTOR,
          "evidence",
          null,
          null,
          request.reason(),
          new EvidenceAdded(request.id(), request.severity(), request.evidence()));
      Outbox.append(c, ticketId, Outbox.UPDATED, now);
      return ticketId;
    }
    DeviceFacts device = DeviceFacts.read(c, request.deviceId());
    Priority priority =
        priorities.priorityOf(request.severity(), device.type(), device.customerTier());
    long ticketId =
        TicketStore.insert(
            c,
            new TicketStore.NewTicket(
                request.deviceId(),
                request.ruleId(),
                request.category(),
                request.severity(),
                priority,
                device.type(),
                device.customerRef(),
                device.customerTier(),
                request.reason(),
                request
                    .evidence()
                    .forTicket(device.toEvidence(now, warrantyMonths), request.alarmId())),
            now);
    TicketStore.appendTimeline(
        c, ticketId, now, ACTOR, "transition", null, TicketStatus.OPEN, request.reason(), null);
    Outbox.append(c, ticketId, Outbox.OPENED, now);
    return ticketId;
  }

  /**
   * The clear policy (docs/tickets.md): nobody acted yet (open) - cancelled as self-resolved; a
   * repair under way (in_progress) - resolved, the device being healthy again; otherwise people are
   * involved, so the clear is recorded on the timeline for them to decide.
   */
  private Long cleared(Connection c, Request request, Instant now) throws SQLException {
    Optional<Ticket> live = TicketStore.lockLive(c, request.deviceId(), request.ruleId());
    if (live.isEmpty()) {
      return null;
    }
    Ticket ticket = live.get();
    switch (ticket.status()) {
      case OPEN ->
          TicketTransitions.apply(
              c,
              ticket.id(),
              TransitionRequest.to(
                  TicketStatus.CANCELLED,
                  "self-resolved: the alarm cleared before anyone acted ("
                      + request.reason()
                      + ")"),
              ACTOR,
              now);
      case IN_PROGRESS ->
          TicketTransitions.apply(
              c,
              ticket.id(),
              TransitionRequest.to(
                  TicketStatus.RESOLVED,
                  "alarm cleared: the device is healthy again (" + request.reason() + ")"),
              ACTOR,
              now);
      default -> {
        TicketStore.appendTimeline(
            c, ticket.id(), now, ACTOR, "alarm_cleared", null, null, request.reason(), null);
        Outbox.append(c, ticket.id(), Outbox.UPDATED, now);
      }
    }
    return ticket.id();
  }

  private static void markProcessed(Connection c, long requestId, Long ticketId, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE ticket_requests SET processed_at = ?, ticket_id = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setObject(2, ticketId);
      update.setLong(3, requestId);
      update.executeUpdate();
    }
  }
}
