package io.aftercare.diagnostics.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimeWindowTest {

  @Test
  void keepsAtMostItsCapacityHoweverManyOccurrences() {
    TimeWindow window = new TimeWindow(3_600_000, 10);

    for (long at = 0; at < 100_000; at++) {
      window.add(at);
    }

    assertThat(window.size()).isEqualTo(10);
  }

  @Test
  void forgetsOccurrencesOlderThanTheWindow() {
    TimeWindow window = new TimeWindow(1_000, 10);
    window.add(0);
    window.add(500);
    window.add(900);

    assertThat(window.expire(1_000)).isEqualTo(2);
    assertThat(window.expire(1_500)).isEqualTo(1);
    assertThat(window.expire(1_900)).isZero();
  }

  @Test
  void keepsOrderWhileGrowingAndWrapping() {
    TimeWindow window = new TimeWindow(100, 4);
    for (long at = 0; at < 7; at++) {
      window.add(at * 10);
    }

    // Holds 30, 40, 50, 60: at 135 the ones at or before 35 are out.
    assertThat(window.expire(135)).isEqualTo(3);
  }
}
