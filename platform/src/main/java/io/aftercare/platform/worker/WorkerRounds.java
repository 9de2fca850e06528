package io.aftercare.platform.worker;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocking work repeated on a timer, one round at a time: a round still running when the timer
 * fires again is not joined by another, so a slow database never piles rounds up.
 */
public final class WorkerRounds {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerRounds.class);

  private WorkerRounds() {}

  /**
   * Runs {@code round} on a worker every {@code interval}; a failed round is logged as {@code
   * name}'s and the next one runs as usual.
   */
  public static void every(
      Vertx vertx, WorkerCalls workers, Duration interval, String name, Callable<?> round) {
    AtomicBoolean running = new AtomicBoolean();
    vertx.setPeriodic(
        interval.toMillis(),
        id -> {
          if (!running.compareAndSet(false, true)) {
            return;
          }
          workers
              .run(round)
              .onComplete(
                  result -> {
                    running.set(false);
                    if (result.failed()) {
                      LOG.warn("{} failed: {}", name, result.cause().getMessage());
                    }
                  });
        });
  }
}
