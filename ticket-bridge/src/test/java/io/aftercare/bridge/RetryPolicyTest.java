package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final BridgeConfig.Retry CONFIG =
      new BridgeConfig.Retry(
          Duration.ofSeconds(2),
          Duration.ofMinutes(1),
          0.5,
          Duration.ofHours(1),
          Duration.ofSeconds(10));

  @Test
  void doublesUpToTheCapWithoutJitterAtZero() {
    RetryPolicy policy = new RetryPolicy(CONFIG, () -> 0.0);
    assertThat(policy.delay(1, null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delay(2, null)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delay(5, null)).isEqualTo(Duration.ofSeconds(32));
    assertThat(policy.delay(6, null)).isEqualTo(Duration.ofMinutes(1));
    assertThat(policy.delay(60, null)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void jitterTakesOffAtMostItsShare() {
    RetryPolicy policy = new RetryPolicy(CONFIG, () -> 0.999);
    assertThat(policy.delay(3, null)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
  }

  @Test
  void retryAfterIsHonouredWhenLonger() {
    RetryPolicy policy = new RetryPolicy(CONFIG, () -> 0.0);
    assertThat(policy.delay(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.delay(3, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void horizonBoundsRetries() {
    RetryPolicy policy = new RetryPolicy(CONFIG, () -> 0.0);
    Instant written = Instant.parse("2026-11-23T10:00:00Z");
    assertThat(policy.withinHorizon(written, written.plus(Duration.ofMinutes(60)))).isTrue();
    assertThat(policy.withinHorizon(written, written.plus(Duration.ofMinutes(61)))).isFalse();
  }
}
