package io.aftercare.platform.ingest;

import io.vertx.core.Context;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands tasks from the writer thread to one Vert.x context, one hop per burst rather than per task.
 *
 * <p>A commit completes hundreds of messages at once; scheduling each completion on its event loop
 * separately woke that loop (and paid a queue hand-off) hundreds of times per commit. Here the
 * first task of a burst schedules a drain and the rest join it.
 *
 * <p>Each task runs on its own: one that throws is logged and the drain goes on. A task that threw
 * out of the drain once left every later completion on that event loop queued, so devices whose
 * data was committed were never acknowledged.
 */
final class ContextQueue {

  private static final String KEY = ContextQueue.class.getName();
  private static final Logger LOG = LoggerFactory.getLogger(ContextQueue.class);
  private static final int MAX_TASKS_PER_TURN = 256;

  private final Context context;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  private ContextQueue(Context context) {
    this.context = context;
  }

  /** The queue of {@code context}; call on that context, so that creating it cannot race. */
  static ContextQueue of(Context context) {
    ContextQueue queue = context.get(KEY);
    if (queue == null) {
      queue = new ContextQueue(context);
      context.put(KEY, queue);
    }
    return queue;
  }

  /** Runs {@code task} on the context, after the tasks submitted before it. From any thread. */
  void submit(Runnable task) {
    tasks.add(task);
    if (drainScheduled.compareAndSet(false, true)) {
      context.runOnContext(ignored -> drain());
    }
  }

  private void drain() {
    // Cleared before polling: a task added from now on either is polled below or schedules anew.
    drainScheduled.set(false);
    for (int run = 0; run < MAX_TASKS_PER_TURN; run++) {
      Runnable task = tasks.poll();
      if (task == null) {
        return;
      }
      runIsolated(task);
    }
    // Give the event loop back to its sockets between slices: one commit of 10,000 devices'
    // messages drained in one go (each a flushed PUBACK) held a loop for seconds.
    if (!tasks.isEmpty() && drainScheduled.compareAndSet(false, true)) {
      context.runOnContext(ignored -> drain());
    }
  }

  private static void runIsolated(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.error("A completion failed; the ones after it still run", e);
    }
  }
}
