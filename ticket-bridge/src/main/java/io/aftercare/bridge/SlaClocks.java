package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Computes the two SLA clocks of a ticket from its status changes, as the after-sales standards
 * define them (docs/tickets.md):
 *
 * <ul>
 *   <li><b>response</b>: from receipt (ticket opened) to the first contact that confirms the need
 *       (acknowledged);
 *   <li><b>repair</b>: from the start of the repair (dispatched) to repaired-and-notified
 *       (resolved), not counting time in {@code awaiting_parts}. A reopened ticket's repair clock
 *       runs again from the reopening.
 * </ul>
 *
 * Counted time is working time of the configured {@link BusinessCalendar} (24/7 by default).
 */
public final class SlaClocks {

  /** Both clocks of one ticket. */
  public record Clocks(SlaClock response, SlaClock repair) {}

  private final Map<String, BridgeConfig.SlaTarget> targets;
  private final double warningRatio;
  private final BusinessCalendar calendar;

  public SlaClocks(
      Map<String, BridgeConfig.SlaTarget> targets, double warningRatio, BusinessCalendar calendar) {
    this.targets = targets;
    this.warningRatio = warningRatio;
    this.calendar = calendar;
  }

  public BridgeConfig.SlaTarget target(Priority priority) {
    BridgeConfig.SlaTarget target = targets.get(priority.wireName());
    if (target == null) {
      throw new IllegalStateException("no SLA target configured for priority " + priority);
    }
    return target;
  }

  /**
   * @param changes the ticket's status changes in order, the first being its opening
   */
  public Clocks compute(Priority priority, List<StatusChange> changes, Instant now) {
    BridgeConfig.SlaTarget target = target(priority);
    return new Clocks(
        response(target.respond(), changes, now), repair(target.repair(), changes, now));
  }

  private SlaClock response(Duration target, List<StatusChange> changes, Instant now) {
    Instant opened = changes.get(0).at();
    Instant stopped = null;
    for (StatusChange change : changes) {
      if (change.to() == TicketStatus.ACKNOWLEDGED || change.to().isFinal()) {
        stopped = change.at();
        break;
      }
    }
    Duration elapsed = calendar.workingTime(opened, stopped == null ? now : stopped);
    return new SlaClock(
        target,
        stopped == null ? SlaClock.State.RUNNING : SlaClock.State.STOPPED,
        SlaClock.standing(elapsed, target, warningRatio),
        opened,
        stopped,
        elapsed,
        Duration.ZERO,
        stopped == null ? due(now, target, elapsed) : null);
  }

  private SlaClock repair(Duration target, List<StatusChange> changes, Instant now) {
    Instant started = null;
    Instant mark = null;
    TicketStatus current = null;
    Duration counted = Duration.ZERO;
    Duration paused = Duration.ZERO;
    for (StatusChange change : changes) {
      if (started == null) {
        if (change.to() == TicketStatus.DISPATCHED) {
          started = change.at();
          mark = change.at();
        }
      } else {
        if (counts(current)) {
          counted = counted.plus(calendar.workingTime(mark, change.at()));
        } else if (current == TicketStatus.AWAITING_PARTS) {
          paused = paused.plus(Duration.between(mark, change.at()));
        }
        mark = change.at();
      }
      current = change.to();
    }
    if (started == null) {
      return new SlaClock(
          target,
          SlaClock.State.NOT_STARTED,
          SlaClock.Standing.ON_TIME,
          null,
          null,
          Duration.ZERO,
          Duration.ZERO,
          null);
    }
    SlaClock.State state;
    Instant stoppedAt = null;
    if (counts(current)) {
      counted = counted.plus(calendar.workingTime(mark, now));
      state = SlaClock.State.RUNNING;
    } else if (current == TicketStatus.AWAITING_PARTS) {
      paused = paused.plus(Duration.between(mark, now));
      state = SlaClock.State.PAUSED;
    } else {
      state = SlaClock.State.STOPPED;
      stoppedAt = mark;
    }
    return new SlaClock(
        target,
        state,
        SlaClock.standing(counted, target, warningRatio),
        started,
        stoppedAt,
        counted,
        paused,
        state == SlaClock.State.RUNNING ? due(now, target, counted) : null);
  }

  private Instant due(Instant now, Duration target, Duration elapsed) {
    Duration left = target.minus(elapsed);
    return left.isNegative() ? now.plus(left) : calendar.plusWorkingTime(now, left);
  }

  /** The repair clock counts while someone is (supposed to be) repairing. */
  private static boolean counts(TicketStatus status) {
    return status == TicketStatus.DISPATCHED || status == TicketStatus.IN_PROGRESS;
  }
}
