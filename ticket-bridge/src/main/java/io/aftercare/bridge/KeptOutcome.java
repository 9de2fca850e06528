package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a ticket's {@link CaseOutcome} that follows from the ticket and its timeline alone
 * (not from other tickets, complaints or ratings), as the bridge keeps it per ticket (V86, {@link
 * KeptOutcomes}).
 *
 * @param clocks the verdict of each timeliness clock, by name, in {@link CaseOutcome#TIMELINESS}
 *     order
 * @param validUntil the earliest instant at which this outcome could change with no new event: a
 *     running clock reaching its target, or the handling deadline of a case neither resolved nor
 *     cancelled; null when nothing changes it but an event
 */
record KeptOutcome(
    Map<String, CaseOutcome.ClockOutcome> clocks,
    boolean cancelled,
    boolean resolved,
    boolean firstTimeFix,
    boolean remote,
    CaseOutcome.Verdict handled,
    Instant validUntil) {

  /**
   * @param ticket the ticket as its outcome counts (an archived case as the closed or cancelled
   *     case it was)
   * @param timeline its timeline in order, the first entry its opening
   */
  static KeptOutcome of(
      Ticket ticket,
      List<TimelineEntry> timeline,
      SlaClocks slaClocks,
      WorkingDays workingDays,
      Instant now) {
    List<StatusChange> changes = TicketStore.statusChanges(timeline);
    Instant cancelledAt = at(changes, TicketStatus.CANCELLED);
    SlaClocks.Clocks sla = slaClocks.compute(ticket, timeline, now);
    Map<String, CaseOutcome.ClockOutcome> clocks = new LinkedHashMap<>();
    Instant validUntil = null;
    for (CaseOutcome.TimelinessClock timeliness : CaseOutcome.TIMELINESS) {
      SlaClock clock = timeliness.clock().apply(sla);
      clocks.put(timeliness.name(), clock(clock, cancelledAt));
      // A running clock under its target turns late once its counted time passes the target,
      // which is not before its due time (the instant the counted time reaches the target).
      if (clock.state() == SlaClock.State.RUNNING
          && clock.standing() != SlaClock.Standing.BREACHED) {
        validUntil = earlier(validUntil, clock.dueAt());
      }
    }
    Instant resolvedAt = resolvedAt(changes);
    boolean resolved = resolvedAt != null;
    Instant deadline =
        workingDays.deadline(changes.get(0).at(), CaseOutcome.HANDLED_WITHIN_WORKING_DAYS);
    CaseOutcome.Verdict handled;
    if (resolved) {
      handled =
          resolvedAt.isBefore(deadline) ? CaseOutcome.Verdict.ON_TIME : CaseOutcome.Verdict.LATE;
    } else if (cancelledAt != null) {
      handled = CaseOutcome.Verdict.NOT_COUNTED;
    } else if (now.isBefore(deadline)) {
      handled = CaseOutcome.Verdict.PENDING;
      validUntil = earlier(validUntil, deadline);
    } else {
      handled = CaseOutcome.Verdict.LATE;
    }
    return new KeptOutcome(
        clocks,
        cancelledAt != null,
        resolved,
        resolved && changes.stream().filter(c -> c.to() == TicketStatus.RESOLVED).count() == 1,
        resolved && "remote".equals(ticket.channel()),
        handled,
        validUntil);
  }

  /** The whole outcome, with the parts that depend on other records. */
  CaseOutcome with(boolean repeat, CaseOutcome.Feedback feedback) {
    return new CaseOutcome(
        clocks, cancelled, resolved, firstTimeFix, remote, handled, repeat, feedback);
  }

  /**
   * Past its target a clock is late whether it ended or not (a case still unanswered past its
   * response target is late now); one that reached its end under the target is on time; one stopped
   * by the case's cancellation under the target had nothing to be late for.
   */
  private static CaseOutcome.ClockOutcome clock(SlaClock clock, Instant cancelledAt) {
    boolean ended = clock.state() == SlaClock.State.STOPPED;
    boolean reachedEnd = ended && !clock.stoppedAt().equals(cancelledAt);
    Duration counted = reachedEnd ? clock.elapsed() : null;
    if (clock.standing() == SlaClock.Standing.BREACHED) {
      return new CaseOutcome.ClockOutcome(CaseOutcome.Verdict.LATE, counted);
    }
    if (reachedEnd) {
      return new CaseOutcome.ClockOutcome(CaseOutcome.Verdict.ON_TIME, counted);
    }
    return new CaseOutcome.ClockOutcome(
        cancelledAt == null ? CaseOutcome.Verdict.PENDING : CaseOutcome.Verdict.NOT_COUNTED, null);
  }

  private static Instant earlier(Instant so, Instant candidate) {
    return so == null || candidate.isBefore(so) ? candidate : so;
  }

  /**
   * When the case was last resolved, if it is resolved now: a reopening (back to work) undoes the
   * resolution, a later closing or archiving keeps it.
   */
  private static Instant resolvedAt(List<StatusChange> changes) {
    Instant resolvedAt = null;
    for (StatusChange change : changes) {
      if (change.to() == TicketStatus.RESOLVED) {
        resolvedAt = change.at();
      } else if (change.to() == TicketStatus.IN_PROGRESS
          || change.to() == TicketStatus.AWAITING_PARTS) {
        resolvedAt = null;
      }
    }
    return resolvedAt;
  }

  private static Instant at(List<StatusChange> changes, TicketStatus status) {
    for (StatusChange change : changes) {
      if (change.to() == status) {
        return change.at();
      }
    }
    return null;
  }
}
