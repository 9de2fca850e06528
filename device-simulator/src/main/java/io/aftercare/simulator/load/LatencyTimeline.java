package io.aftercare.simulator.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latency second by second of the schedule (by intended send time), so that a tail is seen for what
 * it is: a warm-up at the start, a few stalls, or a queue that keeps growing. Safe to update from
 * any thread.
 */
final class LatencyTimeline {

  /** One second of the schedule: messages acknowledged, the slowest, and how many took > 100 ms. */
  record Second(int second, long acked, double maxMs, long over100Ms) {}

  private static final long SLOW_MICROS = 100_000;

  private final AtomicLongArray acked;
  private final AtomicLongArray maxMicros;
  private final AtomicLongArray slow;
  private volatile long startNanos;

  LatencyTimeline(int seconds) {
    acked = new AtomicLongArray(seconds);
    maxMicros = new AtomicLongArray(seconds);
    slow = new AtomicLongArray(seconds);
  }

  void start(long scheduleStartNanos) {
    startNanos = scheduleStartNanos;
  }

  void record(long intendedNanos, long latencyMicros) {
    int second = (int) TimeUnit.NANOSECONDS.toSeconds(intendedNanos - startNanos);
    if (second < 0 || second >= acked.length()) {
      return;
    }
    acked.incrementAndGet(second);
    maxMicros.accumulateAndGet(second, latencyMicros, Math::max);
    if (latencyMicros > SLOW_MICROS) {
      slow.incrementAndGet(second);
    }
  }

  List<Second> seconds() {
    List<Second> seconds = new ArrayList<>();
    for (int i = 0; i < acked.length(); i++) {
      if (acked.get(i) > 0) {
        seconds.add(new Second(i, acked.get(i), maxMicros.get(i) / 1000.0, slow.get(i)));
      }
    }
    return seconds;
  }
}
