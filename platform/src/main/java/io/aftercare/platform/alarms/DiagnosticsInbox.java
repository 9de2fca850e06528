package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.LinkChange;
import io.aftercare.platform.command.CommandFinished;
import io.aftercare.platform.ingest.Uplink;
import io.aftercare.platform.staff.StaffPrincipal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What waits for the diagnostics thread, and how each sender waits (or not). The telemetry writer
 * blocks while the bounded queue is full, slowing ingest to the engine's pace; event loops never
 * block: what they hand over when the queue is full goes to an unbounded overflow, which the runner
 * takes first. Those are connection changes, command results and staff acknowledgements, so few.
 */
public final class DiagnosticsInbox {

  private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsInbox.class);
  private static final long BACKPRESSURE_WARNING_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** One input for the diagnostics thread. */
  sealed interface Input {}

  record Committed(List<Uplink> uplinks) implements Input {}

  record Connectivity(String deviceId, LinkChange change, Instant at) implements Input {}

  record Tick(Instant now) implements Input {}

  /**
   * Staff acknowledge alarms, with an optional note. One alarm is audited as {@code
   * alarm.acknowledge}; a bulk acknowledgement ({@code bulk}) as one {@code alarm.bulk_acknowledge}
   * entry listing them all.
   */
  record Acknowledge(
      List<Long> alarmIds,
      StaffPrincipal by,
      String from,
      String note,
      boolean bulk,
      CompletableFuture<Map<Long, AckOutcome>> done)
      implements Input {}

  record CommandEnded(CommandFinished command) implements Input {}

  private final BlockingQueue<Input> queue;
  private final Queue<Input> overflow = new ConcurrentLinkedQueue<>();
  private final Timer backpressure;
  // As if the last warning were one interval ago, so that the first wait is reported.
  private long lastBackpressureWarning = System.nanoTime() - BACKPRESSURE_WARNING_NANOS;

  public DiagnosticsInbox(int capacity, MeterRegistry meters) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    Gauge.builder("aftercare.diagnostics.queue", queue, BlockingQueue::size)
        .description("Inputs waiting for the diagnostics thread")
        .register(meters);
    this.backpressure =
        Timer.builder("aftercare.diagnostics.backpressure")
            .description("Time the telemetry writer waited for a full queue")
            .register(meters);
  }

  /** From the writer thread only: waits while the queue is full, and measures the wait. */
  void put(Input input) {
    if (queue.offer(input)) {
      return;
    }
    long start = System.nanoTime();
    try {
      queue.put(input);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long waited = System.nanoTime() - start;
    backpressure.record(waited, TimeUnit.NANOSECONDS);
    warnOfBackpressure(start, waited);
  }

  /** Never blocks and never drops. */
  void handOver(Input input) {
    if (!queue.offer(input)) {
      overflow.add(input);
    }
  }

  /** Never blocks; drops the input when the queue is full (for periodic work that comes again). */
  void offer(Input input) {
    queue.offer(input);
  }

  /** The next input, overflow first; null if none came within the wait. */
  Input poll(long timeout, TimeUnit unit) throws InterruptedException {
    Input input = overflow.poll();
    return input != null ? input : queue.poll(timeout, unit);
  }

  boolean isEmpty() {
    return queue.isEmpty() && overflow.isEmpty();
  }

  /**
   * At most one warning per interval: a storm of alarms would otherwise flood the log too. Only the
   * writer thread gets here, so a plain field keeps the time of the last one.
   */
  private void warnOfBackpressure(long startNanos, long waitedNanos) {
    if (startNanos - lastBackpressureWarning < BACKPRESSURE_WARNING_NANOS) {
      return;
    }
    lastBackpressureWarning = startNanos;
    LOG.warn(
        "Diagnostics is behind ({} inputs queued): ingest waited {} ms for it",
        queue.size(),
        TimeUnit.NANOSECONDS.toMillis(waitedNanos));
  }
}
