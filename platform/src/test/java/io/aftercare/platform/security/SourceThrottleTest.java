package io.aftercare.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.config.AftercareConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-source back-off: doubling, capped, forgotten, and bounded in memory. */
class SourceThrottleTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));

  private static AftercareConfig.FailedAuth settings(int maxSources) {
    return new AftercareConfig.FailedAuth(
        2,
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofMinutes(15),
        maxSources,
        Duration.ofMinutes(1),
        100);
  }

  @Test
  void freeFailuresThenADoublingBackOffUpToTheMaximum() {
    SourceThrottle throttle = new SourceThrottle(settings(100), clock);

    assertThat(throttle.failed("10.0.0.1")).isEmpty();
    assertThat(throttle.failed("10.0.0.1")).isEmpty();
    assertThat(throttle.refusal("10.0.0.1")).isEmpty();
    assertThat(throttle.failed("10.0.0.1")).contains(Duration.ofSeconds(1));
    assertThat(throttle.failed("10.0.0.1")).contains(Duration.ofSeconds(2));
    assertThat(throttle.failed("10.0.0.1")).contains(Duration.ofSeconds(4));
    assertThat(throttle.failed("10.0.0.1")).contains(Duration.ofSeconds(5));
    assertThat(throttle.refusal("10.0.0.1")).contains(Duration.ofSeconds(5));
    assertThat(throttle.refusal("10.0.0.2")).as("another source").isEmpty();

    clock.advance(Duration.ofSeconds(5));
    assertThat(throttle.refusal("10.0.0.1")).as("the back-off is over").isEmpty();
  }

  @Test
  void aSourceQuietForForgetAfterStartsOver() {
    SourceThrottle throttle = new SourceThrottle(settings(100), clock);
    throttle.failed("10.0.0.1");
    throttle.failed("10.0.0.1");

    clock.advance(Duration.ofMinutes(16));

    assertThat(throttle.failed("10.0.0.1")).as("first failure again").isEmpty();
  }

  @Test
  void theTableIsBoundedWhateverTheNumberOfSources() {
    SourceThrottle throttle = new SourceThrottle(settings(100), clock);

    for (int i = 0; i < 10_000; i++) {
      throttle.failed("10.0." + (i / 256) + "." + (i % 256));
    }

    assertThat(throttle.size()).isLessThanOrEqualTo(100);
  }
}
