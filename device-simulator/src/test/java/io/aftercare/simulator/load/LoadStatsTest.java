package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The warm-up counts for delivery and the timeline, never for latency or throughput; the
 * generator's own lateness is kept apart from the latency it is part of.
 */
class LoadStatsTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void aSlowWarmUpShowsInTheTimelineButNotInTheMeasuredLatency() {
    LoadStats stats = new LoadStats();
    long now = System.nanoTime();
    stats.scheduleStarts(now - 3 * SECOND, 2 * SECOND);

    // Due in second 0 (warm-up), acknowledged 3 s late; due in second 3 (measured), on time.
    stats.acked(new LoadMessage(now - 3 * SECOND, 1));
    stats.acked(new LoadMessage(System.nanoTime(), 2));

    assertThat(stats.ackedCount()).isEqualTo(2);
    assertThat(stats.ackedMeasuredCount()).isEqualTo(1);
    assertThat(stats.latency().getMaxValue()).isLessThan(TimeUnit.SECONDS.toMicros(1));
    assertThat(stats.timeline().get(0).maxMs()).isGreaterThanOrEqualTo(3000);
  }

  @Test
  void theTimelineKeepsEachSecondsSlowestAndItsCountOver100Ms() {
    LoadStats stats = new LoadStats();
    long now = System.nanoTime();
    stats.scheduleStarts(now - 5 * SECOND, 0);

    stats.acked(new LoadMessage(now - 4 * SECOND - SECOND / 2, 1)); // second 0, 4.5 s late
    stats.acked(new LoadMessage(now - SECOND / 2, 2)); // second 4, 0.5 s late

    assertThat(stats.timeline())
        .extracting(LatencyTimeline.Second::second, LatencyTimeline.Second::over100Ms)
        .containsExactly(tuple(0, 1L), tuple(4, 1L));
    assertThat(stats.timeline().get(0).maxMs()).isGreaterThan(4000);
  }

  @Test
  void aMessageHandedOverLateCountsAsGeneratorLagOnlyOutsideTheWarmUp() {
    LoadStats stats = new LoadStats();
    long now = System.nanoTime();
    stats.scheduleStarts(now - 3 * SECOND, 2 * SECOND);

    stats.submitted(new LoadMessage(now - 3 * SECOND, 1)); // warm-up, 3 s late
    stats.submitted(new LoadMessage(now - SECOND / 4, 2)); // measured, 250 ms late

    assertThat(stats.sentCount()).isEqualTo(2);
    Histogram lag = stats.generatorLag();
    assertThat(lag.getTotalCount()).isEqualTo(1);
    assertThat(lag.getMaxValue())
        .isBetween(TimeUnit.MILLISECONDS.toMicros(250), TimeUnit.SECONDS.toMicros(1));
  }
}
