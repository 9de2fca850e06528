package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Computes the three SLA clocks of a ticket from its timeline, as the after-sales standards' time
 * standards define them (docs/tickets.md, "SLA clocks"):
 *
 * <ul>
 *   <li><b>response</b>: from receipt to the first contact that confirms the need (acknowledged);
 *   <li><b>arrangement</b>: from receipt to a confirmed appointment ({@code appointment_set}) or a
 *       remote session (dispatched with channel {@code remote});
 *   <li><b>repair</b>: from the start of work ({@code in_progress}) to repaired-and-notified
 *       ({@code resolved}), not counting time in {@code awaiting_parts} or while the customer is
 *       unavailable. A reopened ticket's repair clock runs again from the reopening.
 * </ul>
 *
 * Receipt is when the alarm was raised for a detected fault (the time remote fixes took is on the
 * clock) and when the case was opened for a reported one. Counted time is working time of the
 * configured {@link BusinessCalendar} (24/7 by default); pauses are wall-clock time.
 */
public final class SlaClocks {

  /** The timeline kind another part writes when an appointment with the customer is confirmed. */
  static final String APPOINTMENT_SET = "appointment_set";

  /** The three clocks of one ticket. */
  public record Clocks(SlaClock response, SlaClock arrangement, SlaClock repair) {}

  /**
   * What of a ticket picks its targets and starts its clocks.
   *
   * @param serviceType null for a detected fault
   * @param receivedAt receipt of the request: the alarm for a detected fault, else the opening
   */
  record Subject(Priority priority, String serviceType, String customerTier, Instant receivedAt) {

    static Subject of(Ticket ticket) {
      return new Subject(
          ticket.priority(), ticket.serviceType(), ticket.customerTier(), receivedAt(ticket));
    }

    private static Instant receivedAt(Ticket ticket) {
      TicketEvidence evidence = ticket.evidence();
      if (!"detected".equals(ticket.source())
          || evidence == null
          || evidence.alarm() == null
          || evidence.alarm().raisedAt() == null
          || evidence.alarm().raisedAt().isAfter(ticket.openedAt())) {
        return ticket.openedAt();
      }
      return evidence.alarm().raisedAt();
    }
  }

  private final SlaTargets targets;
  private final double warningRatio;
  private final BusinessCalendar calendar;

  public SlaClocks(SlaTargets targets, double warningRatio, BusinessCalendar calendar) {
    this.targets = targets;
    this.warningRatio = warningRatio;
    this.calendar = calendar;
  }

  /**
   * @param timeline the ticket's timeline in order, the first entry being its opening
   */
  public Clocks compute(Ticket ticket, List<TimelineEntry> timeline, Instant now) {
    return compute(Subject.of(ticket), timeline, now);
  }

  Clocks compute(Subject subject, List<TimelineEntry> timeline, Instant now) {
    BridgeConfig.SlaTarget target =
        targets.of(subject.priority(), subject.serviceType(), subject.customerTier());
    return new Clocks(
        fromReceipt(target.respond(), subject.receivedAt(), timeline, SlaClocks::confirmsNeed, now),
        fromReceipt(target.arrange(), subject.receivedAt(), timeline, SlaClocks::arranges, now),
        repair(target.repair(), timeline, now));
  }

  /** First contact confirming the need; a case ended without one stops the clock too. */
  private static boolean confirmsNeed(TimelineEntry entry) {
    return isTransition(entry) && (entry.to() == TicketStatus.ACKNOWLEDGED || entry.to().isFinal());
  }

  /**
   * A confirmed appointment or a remote session. Work starting (in_progress) or the case ending
   * also stops the clock: by then the repair was arranged, or will never be.
   */
  private static boolean arranges(TimelineEntry entry) {
    if (APPOINTMENT_SET.equals(entry.kind())) {
      return true;
    }
    if (!isTransition(entry)) {
      return false;
    }
    boolean remoteSession =
        entry.to() == TicketStatus.DISPATCHED
            && entry.detail() != null
            && "remote".equals(entry.detail().path("channel").asText());
    return remoteSession || entry.to() == TicketStatus.IN_PROGRESS || entry.to().isFinal();
  }

  private SlaClock fromReceipt(
      Duration target,
      Instant receivedAt,
      List<TimelineEntry> timeline,
      Predicate<TimelineEntry> stops,
      Instant now) {
    Instant stopped =
        timeline.stream().filter(stops).map(TimelineEntry::at).findFirst().orElse(null);
    Duration elapsed = calendar.workingTime(receivedAt, stopped == null ? now : stopped);
    return SlaClock.unpaused(
        target,
        receivedAt,
        stopped,
        elapsed,
        stopped == null ? due(now, target, elapsed) : null,
        warningRatio);
  }

  private SlaClock repair(Duration target, List<TimelineEntry> timeline, Instant now) {
    RepairPhases phases = new RepairPhases();
    for (TimelineEntry entry : timeline) {
      if (isTransition(entry)) {
        phases.enter(entry.to(), entry.at());
      } else if (CustomerAvailability.UNAVAILABLE.equals(entry.kind())) {
        phases.customerAway(true, entry.at());
      } else if (CustomerAvailability.AVAILABLE.equals(entry.kind())) {
        phases.customerAway(false, entry.at());
      }
    }
    if (phases.startedAt == null) {
      return new SlaClock(
          target,
          SlaClock.State.NOT_STARTED,
          SlaClock.Standing.ON_TIME,
          null,
          null,
          Duration.ZERO,
          Duration.ZERO,
          null,
          null);
    }
    phases.advance(now);
    SlaClock.PauseReason pausedFor = phases.pauseReason();
    SlaClock.State state;
    if (phases.counting()) {
      state = SlaClock.State.RUNNING;
    } else if (pausedFor != null) {
      state = SlaClock.State.PAUSED;
    } else {
      state = SlaClock.State.STOPPED;
    }
    return new SlaClock(
        target,
        state,
        SlaClock.standing(phases.counted, target, warningRatio),
        phases.startedAt,
        state == SlaClock.State.STOPPED ? phases.statusSince : null,
        phases.counted,
        phases.paused,
        pausedFor,
        state == SlaClock.State.RUNNING ? due(now, target, phases.counted) : null);
  }

  /**
   * Walks the repair clock through the timeline: it counts while work is in progress and the
   * customer is available, and is paused while waiting for parts or for the customer.
   */
  private final class RepairPhases {
    private TicketStatus status;
    private Instant statusSince;
    private boolean customerAway;
    private Instant startedAt;
    private Instant mark;
    private Duration counted = Duration.ZERO;
    private Duration paused = Duration.ZERO;

    void enter(TicketStatus to, Instant at) {
      advance(at);
      status = to;
      statusSince = at;
      if (startedAt == null && to == TicketStatus.IN_PROGRESS) {
        startedAt = at;
        mark = at;
      }
    }

    void customerAway(boolean away, Instant at) {
      advance(at);
      customerAway = away;
    }

    /** Books the time from the last event to {@code at} as counted, paused or neither. */
    void advance(Instant at) {
      if (startedAt == null) {
        return;
      }
      if (counting()) {
        counted = counted.plus(calendar.workingTime(mark, at));
      } else if (pauseReason() != null) {
        paused = paused.plus(Duration.between(mark, at));
      }
      mark = at;
    }

    boolean counting() {
      return status == TicketStatus.IN_PROGRESS && !customerAway;
    }

    SlaClock.PauseReason pauseReason() {
      if (status == TicketStatus.AWAITING_PARTS) {
        return SlaClock.PauseReason.AWAITING_PARTS;
      }
      return status == TicketStatus.IN_PROGRESS && customerAway
          ? SlaClock.PauseReason.CUSTOMER_UNAVAILABLE
          : null;
    }
  }

  private static boolean isTransition(TimelineEntry entry) {
    return "transition".equals(entry.kind()) && entry.to() != null;
  }

  private Instant due(Instant now, Duration target, Duration elapsed) {
    Duration left = target.minus(elapsed);
    return left.isNegative() ? now.plus(left) : calendar.plusWorkingTime(now, left);
  }
}
