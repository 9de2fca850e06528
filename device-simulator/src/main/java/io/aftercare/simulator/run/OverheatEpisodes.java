package io.aftercare.simulator.run;

import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.FaultKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One device's overheat episodes in a firmware trial: from its first step the device waits an
 * exponentially distributed time of mean 1 / rate, runs hot for {@code heatFor}, stays cool for
 * {@code coolFor}, and waits again. The episodes thus form a Poisson process in the device's cool
 * time, and each is long enough to raise the overheating alarm and followed by enough cool reports
 * to clear it: one episode, one alarm.
 *
 * <p>The schedule is drawn from the device's own seed in a fixed order, so it does not depend on
 * when the runner happens to step the device: the same seed gives the same episode times after the
 * device's first step. Only {@link DeviceSession#step}'s thread calls {@link #apply}.
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
   * Ends the episode over by {@code now} and starts the one due by then on {@code device}; tells
   * {@code started} the scheduled start of an episode it starts (the runner's step follows it by a
   * fraction of a second). Called on every step of the runner, an episode ends and the next one
   * starts at most one step late.
   */
  public void apply(SimulatedDevice device, Instant now, Consumer<Instant> started) {
    if (!begun) {
      // From the device's first step, not the run's start: provisioning a large fleet takes a
      // while, and episodes due before the device runs would be cut short.
      begun = true;
      nextStart = afterGap(now);
    }
    if (hotUntil != null && !now.isBefore(hotUntil)) {
      device.end(FaultKind.OVERHEAT_EPISODE);
      nextStart = afterGap(hotUntil.plus(coolFor));
      hotUntil = null;
    }
    if (hotUntil == null && nextStart != null && !now.isBefore(nextStart)) {
      device.inject(FaultKind.OVERHEAT_EPISODE, nextStart, Optional.empty());
      hotUntil = nextStart.plus(heatFor);
      started.accept(nextStart);
    }
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
