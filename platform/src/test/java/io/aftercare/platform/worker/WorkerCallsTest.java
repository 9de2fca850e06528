package io.aftercare.platform.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerCallsTest {

  private final Vertx vertx = Vertx.vertx();
  private final WorkerCalls workers = new WorkerCalls(vertx);

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void awaitIdleReturnsOnlyOnceAStartedCallHasFinished() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    workers.run(
        () -> {
          started.countDown();
          release.await();
          finished.set(true);
          return "done";
        });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Boolean> finishedWhenIdle = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                finishedWhenIdle.complete(
                    workers.awaitIdle(Duration.ofSeconds(30)) && finished.get());
              } catch (InterruptedException e) {
                finishedWhenIdle.completeExceptionally(e);
              }
            });
    waiter.start();
    // The waiter is parked in awaitIdle while the call runs; only then is the call let go.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
    assertThat(finishedWhenIdle).isNotDone();
    release.countDown();

    assertThat(finishedWhenIdle.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void awaitIdleGivesUpAfterItsTimeoutWhenACallDoesNotFinish() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    workers.run(
        () -> {
          release.await();
          return null;
        });

    assertThat(workers.awaitIdle(Duration.ofMillis(200))).isFalse();

    assertThat(release.getCount()).as("the call is still running").isEqualTo(1);
    release.countDown();
  }

  @Test
  void aFailedCallIsNoLongerWaitedFor() throws Exception {
    CountDownLatch failed = new CountDownLatch(1);
    workers
        .run(
            () -> {
              throw new IllegalStateException("refused");
            })
        .onFailure(e -> failed.countDown());
    assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();

    // Still counted as running, it would keep awaitIdle waiting out its timeout and answer false.
    assertThat(workers.awaitIdle(Duration.ofSeconds(30))).isTrue();
  }
}
