package io.aftercare.platform.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard every test class runs under sees an event loop that blocks, and only one that does.
 * What could break it silently is the path of either watcher (Vert.x logging elsewhere than SLF4J,
 * BlockHound not installed): then no test would ever fail for blocking, and nothing else would say
 * so.
 */
class EventLoopsNeverBlockTest {

  private final EventLoopsNeverBlock guard = new EventLoopsNeverBlock();

  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              // A short limit, so that the test need not block for Vert.x's default 2 s; above
              // what a loaded 2-core machine may take to hand a contended lock back (CI saw 109
              // ms).
              .setBlockedThreadCheckInterval(50)
              .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
              .setMaxEventLoopExecuteTime(300)
              .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));

  private final Context eventLoop = vertx.getOrCreateContext();

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @Test
  void aBlockingCallOnAnEventLoopFailsTheCheckNamingTheCaller() {
    guard.check("the start");
    onEventLoop(EventLoopsNeverBlockTest::sleepOneMillisecond);

    assertThatThrownBy(() -> guard.check("this test"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("blocked during this test")
        .hasMessageContaining("called java.lang.Thread.sleep")
        .hasMessageContaining("EventLoopsNeverBlockTest.sleepOneMillisecond");
    assertThatCode(() -> guard.check("the next class")).doesNotThrowAnyException();
  }

  @Test
  void anEventLoopPastVertxsLimitFailsTheCheck() {
    guard.check("the start");
    // A busy loop (no Thread.onSpinWait, which BlockHound counts as blocking): no blocking call,
    // only time for Vert.x's checker.
    onEventLoop(() -> spin(600));

    // The checker looks every 50 ms on a thread of its own; its warnings may trail the task.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> guard.check("this test"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Thread vert.x-eventloop-thread-")
                    .hasMessageContaining("has been blocked for"));
  }

  @Test
  void waitingOnAFullQueueIsBlockingButMeetingItsLockIsNot() throws Exception {
    guard.check("the start");
    ReentrantLock lock = new ReentrantLock();
    lock.lock();
    eventLoop.runOnContext(
        v -> {
          lock.lock();
          lock.unlock();
        });
    // Polled often: the event loop waits for as long as the lock stays held.
    await()
        .pollInterval(Duration.ofMillis(1))
        .atMost(Duration.ofSeconds(10))
        .until(lock::hasQueuedThreads);
    lock.unlock();
    onEventLoop(() -> {});
    assertThatCode(() -> guard.check("a lock held by another thread")).doesNotThrowAnyException();

    BlockingQueue<Integer> full = new ArrayBlockingQueue<>(1, false, List.of(1));
    AtomicReference<Thread> putter = new AtomicReference<>();
    eventLoop.runOnContext(
        v -> {
          putter.set(Thread.currentThread());
          putQuietly(full);
        });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> putter.get() != null && putter.get().getState() == Thread.State.WAITING);
    full.take();
    onEventLoop(() -> {});
    assertThatThrownBy(() -> guard.check("a put on a full queue"))
        .hasMessageContaining("called jdk.internal.misc.Unsafe#park");
  }

  private void onEventLoop(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    eventLoop.runOnContext(
        v -> {
          task.run();
          done.complete(null);
        });
    done.join();
  }

  private static void putQuietly(BlockingQueue<Integer> queue) {
    try {
      queue.put(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void spin(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long spins = 0;
    while (System.nanoTime() < end) {
      spins++;
    }
    if (spins < 0) {
      throw new IllegalStateException("unreachable: keeps the loop from being optimised away");
    }
  }

  /** The blocking call the guard is to catch, made on an event loop on purpose. */
  private static void sleepOneMillisecond() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
