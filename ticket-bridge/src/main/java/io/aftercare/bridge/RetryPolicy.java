package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: exponential backoff from {@code base}, capped at {@code
 * max}, with up to {@code jitter} of each delay taken off at random; never sooner than the
 * helpdesk's Retry-After; and not at all once the event is older than the horizon.
 */
public final class RetryPolicy {

  private final BridgeConfig.Retry config;
  private final DoubleSupplier random;

  public RetryPolicy(BridgeConfig.Retry config, DoubleSupplier random) {
    this.config = config;
    this.random = random;
  }

  /**
   * @param attempts attempts made so far (1 after the first failure)
   * @param retryAfter the helpdesk's Retry-After, or {@code null}
   */
  public Duration delay(int attempts, Duration retryAfter) {
    long base = config.base().toMillis();
    long max = config.max().toMillis();
    int doublings = Math.min(attempts - 1, 30);
    long exponential = Math.min(max, base << doublings);
    long jittered = exponential - (long) (exponential * config.jitter() * random.getAsDouble());
    Duration delay = Duration.ofMillis(Math.max(1, jittered));
    return retryAfter != null && retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
  }

  /** Whether a retry at {@code nextAttempt} is still inside the horizon of an event. */
  public boolean withinHorizon(Instant retrySince, Instant nextAttempt) {
    return !nextAttempt.isAfter(retrySince.plus(config.horizon()));
  }
}
