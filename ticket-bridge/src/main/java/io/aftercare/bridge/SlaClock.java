package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One SLA clock of a ticket at a moment.
 *
 * @param elapsed counted working time (pauses excluded)
 * @param paused wall-clock time spent paused (waiting for parts, customer unavailable)
 * @param pausedFor why a paused clock is paused; {@code null} unless paused
 * @param dueAt when a running clock reaches its target; {@code null} unless running
 */
public record SlaClock(
    Duration target,
    State state,
    Standing standing,
    Instant startedAt,
    Instant stoppedAt,
    Duration elapsed,
    Duration paused,
    PauseReason pausedFor,
    Instant dueAt) {

  /** Whether the clock counts. */
  public enum State {
    NOT_STARTED,
    RUNNING,
    PAUSED,
    STOPPED;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What stops the repair clock for a while without stopping the repair. */
  public enum PauseReason {
    AWAITING_PARTS,
    CUSTOMER_UNAVAILABLE;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Elapsed time against the target: under the warning threshold, past it, or past the target. */
  public enum Standing {
    ON_TIME,
    WARNING,
    BREACHED;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A clock that runs from {@code start} until {@code stop} ({@code null} while it runs) and never
   * pauses.
   *
   * @param elapsed the time counted up to the stop, or up to now while it runs
   * @param dueIfRunning when the running clock reaches its target; not read once it stopped
   */
  static SlaClock unpaused(
      Duration target,
      Instant start,
      Instant stop,
      Duration elapsed,
      Instant dueIfRunning,
      double warningRatio) {
    return new SlaClock(
        target,
        stop == null ? State.RUNNING : State.STOPPED,
        standing(elapsed, target, warningRatio),
        start,
        stop,
        elapsed,
        Duration.ZERO,
        null,
        stop == null ? dueIfRunning : null);
  }

  static Standing standing(Duration elapsed, Duration target, double warningRatio) {
    if (elapsed.compareTo(target) > 0) {
      return Standing.BREACHED;
    }
    long warnAfterMillis = (long) (target.toMillis() * warningRatio);
    return elapsed.toMillis() >= warnAfterMillis ? Standing.WARNING : Standing.ON_TIME;
  }
}
