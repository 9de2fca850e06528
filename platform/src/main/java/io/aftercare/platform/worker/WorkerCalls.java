package io.aftercare.platform.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one way to run blocking work (JDBC, the ticket bridge, reading rule files) off the
 * event loops: on a Vert.x worker thread, with the result handed back on the caller's context.
 *
 * <p>It counts the calls it started so that shutdown can wait for them ({@link #awaitIdle}) before
 * closing Vert.x: a call finishing after the event loops stopped would have nowhere to hand its
 * result, and Vert.x rejects it with a {@code RejectedExecutionException}.
 */
public final class WorkerCalls {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerCalls.class);

  private final Vertx vertx;

  /** Calls handed to a worker and not yet finished. */
  private final AtomicInteger inFlight = new AtomicInteger();

  public WorkerCalls(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code work} on a worker thread; unordered, so calls do not queue behind each other. */
  public <T> Future<T> run(Callable<T> work) {
    inFlight.incrementAndGet();
    return vertx
        .executeBlocking(work, false)
        .andThen(
            done -> {
              if (inFlight.decrementAndGet() == 0) {
                synchronized (inFlight) {
                  inFlight.notifyAll();
                }
              }
            });
  }

  /**
   * Waits up to {@code timeout} for the calls already started to finish and hand back their
   * results. Calls started meanwhile are waited for too.
   *
   * @return whether every call finished; false when the timeout ran out first
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inFlight) {
      while (inFlight.get() > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          LOG.warn("{} worker calls still running after {}; closing anyway", inFlight, timeout);
          return false;
        }
        inFlight.wait(left);
      }
    }
    return true;
  }
}
