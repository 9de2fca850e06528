package io.aftercare.gateway.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
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

    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              release.countDown();
            });
    releaser.start();
    workers.awaitIdle(Duration.ofSeconds(30));

    assertThat(finished).isTrue();
    releaser.join();
  }

  @Test
  void awaitIdleGivesUpAfterItsTimeoutWhenACallDoesNotFinish() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    workers.run(
        () -> {
          release.await();
          return null;
        });

    workers.awaitIdle(Duration.ofMillis(200));

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

    long start = System.nanoTime();
    workers.awaitIdle(Duration.ofSeconds(30));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }
}
