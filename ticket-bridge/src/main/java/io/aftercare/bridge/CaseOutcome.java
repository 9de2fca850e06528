package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one ticket contributes to the KPIs, decided at the time of asking (docs/tickets.md, KPIs).
 *
 * @param clocks the verdict of each timeliness clock, by name
 * @param handled whether the case was resolved within {@link #HANDLED_WITHIN_WORKING_DAYS} working
 *     days of receipt
 * @param repeat the fault came back: the ticket was reopened, or it follows a resolved ticket of
 *     the same device and category within the reopen window
 * @param feedback what the customer said about the case: complaints and ratings
 */
record CaseOutcome(
    Map<String, ClockOutcome> clocks,
    boolean cancelled,
    boolean resolved,
    boolean firstTimeFix,
    boolean remote,
    Verdict handled,
    boolean repeat,
    Feedback feedback) {

  /** The timeliness rates reported, one per SLA clock: another clock is one more line here. */
  static final List<TimelinessClock> TIMELINESS =
      List.of(
          new TimelinessClock("response", SlaClocks.Clocks::response),
          new TimelinessClock("arrangement", SlaClocks.Clocks::arrangement),
          new TimelinessClock("repair", SlaClocks.Clocks::repair));

  /** "Handled within 3 working days". */
  static final int HANDLED_WITHIN_WORKING_DAYS = 3;

  /** A clock whose timeliness is a KPI. */
  record TimelinessClock(String name, Function<SlaClocks.Clocks, SlaClock> clock) {}

  /** A case measured against a target. */
  enum Verdict {
    ON_TIME,
    LATE,
    /** Not decided yet: still under its target. */
    PENDING,
    /** Never decided: cancelled under its target. */
    NOT_COUNTED
  }

  /**
   * @param counted the clock's counted time when it reached its end; null otherwise
   */
  record ClockOutcome(Verdict verdict, Duration counted) {}

  /**
   * What was said about a case, up to the time of asking.
   *
   * @param complained at least one complaint is linked to the case
   * @param customerScore the customer's own latest rating (through their link); null if none
   * @param staffScore the latest score staff entered (at closing, as they heard it); null if none
   */
  record Feedback(boolean complained, Integer customerScore, Integer staffScore) {
    static final Feedback NONE = new Feedback(false, null, null);
  }

  /** A ticket, its timeline (the first entry its opening), its episode history and feedback. */
  record Sample(
      Ticket ticket,
      List<TimelineEntry> timeline,
      int reopenCount,
      boolean followsEarlierFix,
      Feedback feedback) {
    List<StatusChange> changes() {
      return TicketStore.statusChanges(timeline);
    }
  }

  static CaseOutcome of(Sample sample, SlaClocks slaClocks, WorkingDays workingDays, Instant now) {
    Ticket ticket = sample.ticket();
    List<StatusChange> changes = sample.changes();
    Instant cancelledAt = at(changes, TicketStatus.CANCELLED);
    SlaClocks.Clocks sla = slaClocks.compute(ticket, sample.timeline(), now);
    Map<String, ClockOutcome> clocks = new LinkedHashMap<>();
    for (TimelinessClock timeliness : TIMELINESS) {
      clocks.put(timeliness.name(), clock(timeliness.clock().apply(sla), cancelledAt));
    }
    Instant resolvedAt = resolvedAt(changes);
    boolean resolved = resolvedAt != null;
    Instant deadline = workingDays.deadline(changes.get(0).at(), HANDLED_WITHIN_WORKING_DAYS);
    Verdict handled;
    if (resolved) {
      handled = resolvedAt.isBefore(deadline) ? Verdict.ON_TIME : Verdict.LATE;
    } else if (cancelledAt != null) {
      handled = Verdict.NOT_COUNTED;
    } else {
      handled = now.isBefore(deadline) ? Verdict.PENDING : Verdict.LATE;
    }
    return new CaseOutcome(
        clocks,
        cancelledAt != null,
        resolved,
        resolved && changes.stream().filter(c -> c.to() == TicketStatus.RESOLVED).count() == 1,
        resolved && "remote".equals(ticket.channel()),
        handled,
        sample.reopenCount() > 0 || sample.followsEarlierFix(),
        sample.feedback());
  }

  /**
   * Past its target a clock is late whether it ended or not (a case still unanswered past its
   * response target is late now); one that reached its end under the target is on time; one stopped
   * by the case's cancellation under the target had nothing to be late for.
   */
  private static ClockOutcome clock(SlaClock clock, Instant cancelledAt) {
    boolean ended = clock.state() == SlaClock.State.STOPPED;
    boolean reachedEnd = ended && !clock.stoppedAt().equals(cancelledAt);
    Duration counted = reachedEnd ? clock.elapsed() : null;
    if (clock.standing() == SlaClock.Standing.BREACHED) {
      return new ClockOutcome(Verdict.LATE, counted);
    }
    if (reachedEnd) {
      return new ClockOutcome(Verdict.ON_TIME, counted);
    }
    return new ClockOutcome(cancelledAt == null ? Verdict.PENDING : Verdict.NOT_COUNTED, null);
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
