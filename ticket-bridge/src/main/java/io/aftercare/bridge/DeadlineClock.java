package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;

/**
 * A clock of an incident or a complaint: it runs from a start to a stop in calendar time, around
 * the clock and without pauses (an emergency and a complaining customer do not wait for working
 * hours; docs/incidents.md and docs/complaints.md), and is read as an {@link SlaClock}.
 */
final class DeadlineClock {

  private DeadlineClock() {}

  /**
   * @param stop when the clock stopped; {@code null} while it runs
   */
  static SlaClock measure(
      Duration target, Instant start, Instant stop, Instant now, double warningRatio) {
    Duration elapsed = Duration.between(start, stop == null ? now : stop);
    return SlaClock.unpaused(target, start, stop, elapsed, start.plus(target), warningRatio);
  }
}
