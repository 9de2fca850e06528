package io.aftercare.simulator.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One device's overheat episodes in a firmware trial: from the first time it is asked the device
 * waits an exponentially distributed time of mean 1 / rate, runs hot for {@code heatFor}, stays
 * cool for {@code coolFor}, and waits again. The episodes thus form a Poisson process in the
 * device's cool time, and each is long enough to raise the overheating alarm and followed by enough
 * cool reports to clear it: one episode, one alarm.
 *
 * <p>The schedule is drawn from the device's own seed in a fixed order, so it does not depend on
 * when the device happens to be asked: the same seed gives the same episode times after the first
 * question. One thread at a time asks (the device's).
 */
public final class OverheatEpisodes {

  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  private final Random random;
  private final double meanGapMillis;
  private final Duration heatFor;
  private final Duration coolFor;
  private Instant nextStart;
  private Instant hotUntil;
  private boolean begun;

  /**
   * @param episodesPerDeviceHour 0: the device never overheats
   */
  public OverheatEpisodes(
      long seed, double episodesPerDeviceHour, Duration heatFor, Duration coolFor) {
    this.random = new Random(seed);
    this.meanGapMillis =
        episodesPerDeviceHour <= 0
            ? Double.POSITIVE_INFINITY
            : MILLIS_PER_HOUR / episodesPerDeviceHour;
    this.heatFor = heatFor;
    this.coolFor = coolFor;
  }

  /**
   * Whether the device is hot at {@code now}, with {@code now} never going back; tells {@code
   * started} the scheduled start of each episode as it begins. Asked at each report, an episode
   * begins and ends at the first report at or after its scheduled time.
   */
  public boolean hotAt(Instant now, Consumer<Instant> started) {
    if (!begun) {
      // From the device's first report, not the run's start: provisioning a large fleet takes a
      // while, and episodes due before the device runs would be cut short.
      begun = true;
      nextStart = afterGap(now);
    }
    if (hotUntil != null && !now.isBefore(hotUntil)) {
      nextStart = afterGap(hotUntil.plus(coolFor));
      hotUntil = null;
    }
    if (hotUntil == null && nextStart != null && !now.isBefore(nextStart)) {
      hotUntil = nextStart.plus(heatFor);
      started.accept(nextStart);
      // Hot at this report even if it comes late by a whole episode: it ends at the next one.
      return true;
    }
    return hotUntil != null;
  }

  /** {@code from} plus an exponential gap; null when the device never overheats. */
  private Instant afterGap(Instant from) {
    if (Double.isInfinite(meanGapMillis)) {
      return null;
    }
    // Inverse transform of the exponential distribution; 1 - u keeps the logarithm finite.
    double millis = -meanGapMillis * Math.log(1 - random.nextDouble());
    return from.plusMillis(Math.round(millis));
  }
}
