package io.aftercare.simulator.load;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counters and latency shared by all load connections; safe to update from any thread. */
final class LoadStats {

  /** Microseconds from intended send time to acknowledgement. */
  private final Recorder latency = new Recorder(3);

  /** Seconds of schedule a timeline keeps: an hour, far beyond any run's send window. */
  private static final int TIMELINE_SECONDS = 3600;

  /**
   * Microseconds from intended send time to the message reaching its connection, on the generator's
   * event loop: the generator's own lateness (a late wake-up, a busy event loop), part of {@link
   * #latency} that no server caused.
   */
  private final Recorder generatorLag = new Recorder(3);

  private final LatencyTimeline timeline = new LatencyTimeline(TIMELINE_SECONDS);
  private final Recorder connectTime = new Recorder(3);
  private final LongAdder sent = new LongAdder();
  private final LongAdder acked = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder duplicateAcks = new LongAdder();
  private final LongAdder ackedMeasured = new LongAdder();
  private final AtomicLong lastAckNanos = new AtomicLong();
  private volatile long measuredFromNanos = Long.MIN_VALUE;
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  /** A message of the schedule reached its connection (before any in-flight window wait). */
  void submitted(LoadMessage message) {
    sent.increment();
    if (message.intendedNanos() >= measuredFromNanos) {
      generatorLag.recordValue(
          Math.max(0, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - message.intendedNanos())));
    }
  }

  void acked(LoadMessage message) {
    long now = System.nanoTime();
    long micros = Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - message.intendedNanos()));
    timeline.record(message.intendedNanos(), micros);
    acked.increment();
    if (message.intendedNanos() >= measuredFromNanos) {
      latency.recordValue(micros);
      ackedMeasured.increment();
      lastAckNanos.accumulateAndGet(now, Math::max);
    }
  }

  void failed(String kind) {
    failed.increment();
    error(kind);
  }

  /** An error that lost no message of the schedule (a refused connection, say). */
  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** The server acknowledged a packet id that had no message waiting for it. */
  void duplicateAck() {
    duplicateAcks.increment();
  }

  void connected(long nanos) {
    connectTime.recordValue(TimeUnit.NANOSECONDS.toMicros(nanos));
  }

  long sentCount() {
    return sent.sum();
  }

  long ackedCount() {
    return acked.sum();
  }

  long failedCount() {
    return failed.sum();
  }

  long duplicateAckCount() {
    return duplicateAcks.sum();
  }

  long lastAckNanos() {
    return lastAckNanos.get();
  }

  Histogram latency() {
    return latency.getIntervalHistogram();
  }

  /**
   * Second 0 of the timeline is when the schedule starts; latency and throughput count only
   * messages due {@code warmupNanos} later or after.
   */
  void scheduleStarts(long nanos, long warmupNanos) {
    timeline.start(nanos);
    measuredFromNanos = nanos + warmupNanos;
  }

  long measuredFromNanos() {
    return measuredFromNanos;
  }

  /** Acknowledged messages that were due after the warm-up. */
  long ackedMeasuredCount() {
    return ackedMeasured.sum();
  }

  List<LatencyTimeline.Second> timeline() {
    return timeline.seconds();
  }

  Histogram generatorLag() {
    return generatorLag.getIntervalHistogram();
  }

  Histogram connectTimes() {
    return connectTime.getIntervalHistogram();
  }

  Map<String, Long> errors() {
    Map<String, Long> copy = new TreeMap<>();
    errors.forEach((kind, count) -> copy.put(kind, count.sum()));
    return copy;
  }
}
