package io.aftercare.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
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
  private final Duration episodeWindow;
  private final Duration reopenWindow;
  private final BridgeConfig.CustomerCare care;
  private final SealedText sealed;

  RequestProcessor(
      Tx tx,
      Clock clock,
      PriorityMatrix priorities,
      int warrantyMonths,
      Duration episodeWindow,
      Duration reopenWindow,
      BridgeConfig.CustomerCare care,
      SealedText sealed) {
    this.tx = tx;
    this.clock = clock;
    this.priorities = priorities;
    this.warrantyMonths = warrantyMonths;
    this.episodeWindow = episodeWindow;
    this.reopenWindow = reopenWindow;
    this.care = care;
    this.sealed = sealed;
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
            switch (request.kind()) {
              case OPEN -> open(c, request, now);
              case ALARM_CLEARED -> cleared(c, request, now);
              case HEALTH_CHECK_FAILED -> healthCheckFailed(c, request, now);
            };
        markProcessed(c, request.id(), ticketId, now);
        return true;
      }
    }
  }

  /** A claimed row of {@code ticket_requests}; its evidence is read as its kind needs. */
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

  /** The timeline detail of an alarm that joined a ticket. */
  record AlarmLinked(
      long requestId, Long alarmId, String ruleId, Severity severity, TicketEvidence evidence) {}

  /**
   * The episode rule (docs/tickets.md): a repeat of an alarm already on a working ticket is added
   * as evidence; another alarm of the same device and category joins the working ticket opened
   * within the episode window, or reopens the ticket resolved within the reopen window; otherwise a
   * new ticket opens.
   */
  private long open(Connection c, Request request, Instant now) throws SQLException {
    Episodes.lockDevice(c, request.deviceId());
    Optional<Long> sameRule = Episodes.workingWithRule(c, request.deviceId(), request.ruleId());
    if (sameRule.isPresent()) {
      long ticketId = sameRule.get();
      if (Episodes.hasActive(c, ticketId, request.ruleId())) {
        addEvidence(c, ticketId, request, now);
      } else {
        join(c, ticketId, request, now);
      }
      return ticketId;
    }
    Optional<Long> episode =
        Episodes.workingInCategory(
            c, request.deviceId(), request.category(), now.minus(episodeWindow));
    if (episode.isPresent()) {
      join(c, episode.get(), request, now);
      return episode.get();
    }
    Optional<Long> resolved =
        Episodes.resolvedInEpisode(
            c, request.deviceId(), request.category(), request.ruleId(), now.minus(reopenWindow));
    if (resolved.isPresent()) {
      reopen(c, resolved.get(), request, now);
      return resolved.get();
    }
    return openNew(c, request, now);
  }

  private static void addEvidence(Connection c, long ticketId, Request request, Instant now)
      throws SQLException {
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
  }

  private static void join(Connection c, long ticketId, Request request, Instant now)
      throws SQLException {
    // Locked so that a staff transition of the same ticket waits for the link to commit.
    TicketStore.load(c, ticketId, true);
    link(c, ticketId, request, now, "joined this case");
    Outbox.append(c, ticketId, Outbox.ALARM_LINKED, now);
  }

  /**
   * The fault came back after the repair: the same case goes back to work, counted as reopened. The
   * count and the link come first so that the {@code ticket.reopened} event carries them.
   */
  private void reopen(Connection c, long ticketId, Request request, Instant now)
      throws SQLException {
    TicketStore.load(c, ticketId, true);
    Episodes.countReopen(c, ticketId);
    link(c, ticketId, request, now, "came back and reopened this case");
    TicketTransitions.apply(
        c,
        ticketId,
        TransitionRequest.to(
            TicketStatus.IN_PROGRESS,
            "reopened: the fault came back after the repair (" + request.reason() + ")"),
        ACTOR,
        now,
        care);
  }

  private static void link(Connection c, long ticketId, Request request, Instant now, String what)
      throws SQLException {
    Episodes.link(c, ticketId, request.alarmId(), request.ruleId(), now);
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        ACTOR,
        "alarm_linked",
        null,
        null,
        "alarm " + request.alarmId() + " (rule " + request.ruleId() + ") " + what,
        new AlarmLinked(
            request.id(),
            request.alarmId(),
            request.ruleId(),
            request.severity(),
            request.evidence()));
  }

  private long openNew(Connection c, Request request, Instant now) throws SQLException {
    DeviceFacts device = DeviceFacts.read(c, request.deviceId(), sealed);
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
    Episodes.link(c, ticketId, request.alarmId(), request.ruleId(), now);
    TicketStore.appendTimeline(
        c, ticketId, now, ACTOR, "transition", null, TicketStatus.OPEN, request.reason(), null);
    Outbox.append(c, ticketId, Outbox.OPENED, now);
    return ticketId;
  }

  /**
   * The clear policy (docs/tickets.md), applied once every alarm linked to the ticket has cleared:
   * nobody acted yet (open) - cancelled as self-resolved; a repair under way (in_progress) -
   * resolved, the device being healthy again; otherwise people are involved, so the clear is
   * recorded on the timeline for them to decide. While other linked alarms are active, the clear is
   * only recorded.
   */
  private Long cleared(Connection c, Request request, Instant now) throws SQLException {
    Optional<Long> linked = Episodes.clear(c, request.deviceId(), request.ruleId(), now);
    if (linked.isEmpty()) {
      return null;
    }
    Ticket ticket = TicketStore.load(c, linked.get(), true).orElseThrow();
    JsonNode healthCheck = BridgeJson.read(request.evidenceJson()).path("healthCheck");
    if (healthCheck.isObject()) {
      TicketStore.appendTimeline(
          c,
          ticket.id(),
          now,
          ACTOR,
          "health_check",
          null,
          null,
          "post-fix health check passed",
          healthCheck);
    }
    long stillActive = Episodes.active(c, ticket.id());
    if (stillActive > 0) {
      record(
          c, ticket.id(), request.reason() + " (" + stillActive + " linked alarm(s) active)", now);
      return ticket.id();
    }
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
              now,
              care);
      case IN_PROGRESS ->
          TicketTransitions.apply(
              c,
              ticket.id(),
              TransitionRequest.to(
                  TicketStatus.RESOLVED,
                  "alarm cleared: the device is healthy again (" + request.reason() + ")"),
              ACTOR,
              now,
              care);
      default -> record(c, ticket.id(), request.reason(), now);
    }
    return ticket.id();
  }

  /**
   * The device failed its post-fix health check after the fault's alarm cleared: the evidence goes
   * on the live ticket linked to the fault, which keeps working (its alarm link stays active, so no
   * clear policy applies). Without a live ticket the row is processed with none.
   */
  private static Long healthCheckFailed(Connection c, Request request, Instant now)
      throws SQLException {
    Optional<Long> ticketId = Episodes.workingWithRule(c, request.deviceId(), request.ruleId());
    if (ticketId.isEmpty()) {
      return null;
    }
    TicketStore.appendTimeline(
        c,
        ticketId.get(),
        now,
        ACTOR,
        "health_check",
        null,
        null,
        request.reason(),
        BridgeJson.read(request.evidenceJson()).path("healthCheck"));
    Outbox.append(c, ticketId.get(), Outbox.UPDATED, now);
    return ticketId.get();
  }

  private static void record(Connection c, long ticketId, String note, Instant now)
      throws SQLException {
    TicketStore.appendTimeline(c, ticketId, now, ACTOR, "alarm_cleared", null, null, note, null);
    Outbox.append(c, ticketId, Outbox.UPDATED, now);
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
