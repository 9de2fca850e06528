package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What staff do with tickets, as blocking calls for worker threads: list, read (with SLA clocks and
 * timeline), transition, dead letters and their re-drive. Authorization is the caller's job; the
 * actor named here is recorded on the timeline.
 */
public final class TicketService {

  private final Tx tx;
  private final Clock clock;
  private final SlaClocks clocks;
  private final CaseIntake intake;
  private final BridgeConfig.CustomerCare care;

  TicketService(
      Tx tx, Clock clock, SlaClocks clocks, CaseIntake intake, BridgeConfig.CustomerCare care) {
    this.tx = tx;
    this.care = care;
    this.clock = clock;
    this.clocks = clocks;
    this.intake = intake;
  }

  /**
   * Tickets newest first; a null filter means any. Unknown status or priority names are refused.
   */
  public List<Ticket> list(String status, String priority, String deviceId, int limit) {
    return list(new TicketListQuery(status, priority, deviceId, null, null, null, null, limit));
  }

  /**
   * A page of the ticket list, in the query's order. Unknown status or priority names are refused.
   */
  public List<Ticket> list(TicketListQuery query) {
    TicketStore.Filter filter =
        new TicketStore.Filter(
            query.status() == null ? null : TicketStatus.fromWireName(query.status()),
            query.priority() == null ? null : Priority.fromWireName(query.priority()),
            query.deviceId(),
            query.assignee(),
            query.customerRef(),
            query.category(),
            query.beforeId(),
            query.limit(),
            query.sort(),
            query.afterSla());
    return tx.run(c -> TicketStore.list(c, filter));
  }

  public Optional<TicketDetail> find(long id) {
    return tx.run(c -> detail(c, id, clock.instant()));
  }

  /**
   * Takes in a customer's report: a new case linked to its device's open alarms, or, when a case is
   * already being worked for one of them, that case with the report on its timeline; {@code
   * alsoCommit} runs in the same transaction (e.g. the audit entry).
   */
  public ReportIntake open(ReportedCase report, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          CaseIntake.Taken taken = intake.take(c, report, actor, now);
          alsoCommit.run(c);
          return new ReportIntake(detail(c, taken.ticketId(), now).orElseThrow(), taken.joined());
        });
  }

  /**
   * Applies a transition; {@code alsoCommit} runs in the same transaction (e.g. the audit entry).
   */
  public TicketDetail transition(
      long id, TransitionRequest request, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          TicketTransitions.apply(c, id, request, actor, now, care);
          alsoCommit.run(c);
          return detail(c, id, now).orElseThrow();
        });
  }

  /**
   * Marks the customer unavailable ({@code available} false) or available again, which pauses and
   * resumes the repair clock; {@code alsoCommit} runs in the same transaction (the audit entry).
   */
  public TicketDetail customerAvailability(
      long id, Boolean available, String note, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          CustomerAvailability.record(c, id, available, note, actor, now);
          alsoCommit.run(c);
          return detail(c, id, now).orElseThrow();
        });
  }

  /**
   * The ended cases opened in [from, to) - closed, cancelled and archived, or those of one {@code
   * status} - each with its timeline and alarms, oldest first; {@code alsoCommit} runs in the same
   * transaction (the audit entry of a bulk read of customer data). More than {@link
   * CaseExport#MAX_CASES} cases are refused: the caller narrows the range.
   */
  public List<TicketDetail> export(
      Instant from, Instant to, String status, InTransaction alsoCommit) {
    if (!from.isBefore(to)) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'from' must be before 'to'");
    }
    List<TicketStatus> statuses = CaseExport.statuses(status);
    return tx.run(
        c -> {
          Instant now = clock.instant();
          List<TicketDetail> cases = new ArrayList<>();
          for (long id : CaseExport.ids(c, from, to, statuses)) {
            cases.add(detail(c, id, now).orElseThrow());
          }
          alsoCommit.run(c);
          return cases;
        });
  }

  public List<DeadLetter> deadLetters(int limit) {
    return tx.run(c -> DeadLetters.list(c, limit));
  }

  public void redrive(long outboxId, InTransaction alsoCommit) {
    tx.run(
        c -> {
          DeadLetters.redrive(c, outboxId, clock.instant());
          alsoCommit.run(c);
          return null;
        });
  }

  private Optional<TicketDetail> detail(Connection c, long id, Instant now) throws SQLException {
    Optional<Ticket> ticket = TicketStore.load(c, id, false);
    if (ticket.isEmpty()) {
      return Optional.empty();
    }
    List<TimelineEntry> timeline = TicketStore.timeline(c, id);
    SlaClocks.Clocks sla = clocks.compute(ticket.get(), timeline, now);
    return Optional.of(
        new TicketDetail(
            // The stored deadline is recomputed when this transaction commits; the clocks are now.
            ticket.get().withNext(SlaDeadlines.Next.of(sla)),
            sla,
            timeline,
            Episodes.alarms(c, id),
            Episodes.reopenCount(c, id),
            Appointments.ofTicket(c, id),
            PartRequests.ofTicket(c, id),
            CustomerSide.load(c, id)));
  }
}
