package io.aftercare.simulator.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the open-loop schedule: message {@code i} is due at {@code start + i / rate} and goes to
 * connection {@code i % n}, whatever happened to earlier messages.
 *
 * <p>Waking up and handing over every message on its own cost a thread wake-up per message, which
 * at tens of thousands of messages a second was most of the generator's CPU. Instead the scheduler
 * wakes at most once per {@link #TICK_NANOS} and gives each executor (event loop) one task with
 * every message that came due for its connections, then each touched connection flushes once. Each
 * message keeps its own intended send time, so the tick's delay is measured as latency, never
 * hidden.
 */
final class TickScheduler {

  /** Adds at most this much latency at high rates; below 1,000 msg/s it wakes per message. */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final List<? extends LoadConnection> connections;
  private final double rate;
  private final long total;
  private final NanoClock clock;
  private final AtomicInteger tasksPending = new AtomicInteger();

  TickScheduler(
      List<? extends LoadConnection> connections, double rate, long total, NanoClock clock) {
    this.connections = connections;
    this.rate = rate;
    this.total = total;
    this.clock = clock;
  }

  /**
   * Hands over the whole schedule, returning after the last message was given to its executor.
   *
   * @param start the clock's {@link NanoClock#nanoTime} of message 0
   * @param startEpochMillis the wall-clock time of {@code start}; documents are stamped with their
   *     intended send time on this clock
   */
  void run(long start, long startEpochMillis) {
    int n = connections.size();
    long next = 0;
    long lastWake = Long.MIN_VALUE / 2;
    while (next < total) {
      clock.parkUntil(Math.max(intended(start, next), lastWake + TICK_NANOS));
      long now = clock.nanoTime();
      lastWake = now;
      Map<Executor, Tick> ticks = new IdentityHashMap<>();
      for (long due; next < total && (due = intended(start, next)) <= now; next++) {
        LoadConnection connection = connections.get((int) (next % n));
        long ts = startEpochMillis + (due - start) / 1_000_000;
        ticks
            .computeIfAbsent(connection.executor(), e -> new Tick())
            .add(connection, new LoadMessage(due, ts));
      }
      ticks.forEach(this::handOver);
    }
  }

  /** True when every task handed to an executor has run. */
  boolean handedOver() {
    return tasksPending.get() == 0;
  }

  private long intended(long start, long index) {
    return start + (long) (index * 1e9 / rate);
  }

  private void handOver(Executor executor, Tick tick) {
    tasksPending.incrementAndGet();
    executor.execute(
        () -> {
          try {
            tick.run();
          } finally {
            tasksPending.decrementAndGet();
          }
        });
  }

  /** The messages of one tick for the connections of one executor. */
  private static final class Tick {
    private final List<LoadConnection> connections = new ArrayList<>();
    private final List<LoadMessage> messages = new ArrayList<>();

    void add(LoadConnection connection, LoadMessage message) {
      connections.add(connection);
      messages.add(message);
    }

    void run() {
      Set<LoadConnection> touched = Collections.newSetFromMap(new IdentityHashMap<>());
      for (int i = 0; i < messages.size(); i++) {
        connections.get(i).submit(messages.get(i));
        touched.add(connections.get(i));
      }
      touched.forEach(LoadConnection::flush);
    }
  }
}
