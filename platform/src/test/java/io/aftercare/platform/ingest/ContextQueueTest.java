package io.aftercare.platform.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContextQueueTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLongBurstLetsOtherWorkOfTheEventLoopRunBetweenSlices() throws Exception {
    Context context = vertx.getOrCreateContext();
    AtomicInteger completed = new AtomicInteger();
    CompletableFuture<Integer> completedWhenOtherWorkRan = new CompletableFuture<>();
    CompletableFuture<Integer> all = new CompletableFuture<>();
    int burst = 10_000;
    context.runOnContext(
        ignored -> {
          ContextQueue queue = ContextQueue.of(context);
          for (int i = 0; i < burst; i++) {
            queue.submit(
                () -> {
                  if (completed.incrementAndGet() == burst) {
                    all.complete(burst);
                  }
                });
          }
          // Work that arrives on the loop after the burst, such as a device's next packet.
          context.runOnContext(other -> completedWhenOtherWorkRan.complete(completed.get()));
        });

    assertThat(all.get(10, TimeUnit.SECONDS)).isEqualTo(burst);
    assertThat(completedWhenOtherWorkRan.get(10, TimeUnit.SECONDS)).isLessThan(burst);
  }

  @Test
  void tasksRunInTheOrderTheyWereSubmitted() throws Exception {
    Context context = vertx.getOrCreateContext();
    StringBuilder order = new StringBuilder();
    CompletableFuture<String> done = new CompletableFuture<>();
    context.runOnContext(
        ignored -> {
          ContextQueue queue = ContextQueue.of(context);
          for (int i = 0; i < 600; i++) {
            int n = i;
            queue.submit(() -> order.append(n).append(','));
          }
          queue.submit(() -> done.complete(order.toString()));
        });

    String expected =
        java.util.stream.IntStream.range(0, 600)
            .mapToObj(i -> i + ",")
            .collect(java.util.stream.Collectors.joining());
    assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
  }

  @Test
  void aTaskThatThrowsDoesNotHoldBackTheTasksAfterIt() throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Integer> done = new CompletableFuture<>();
    AtomicInteger ran = new AtomicInteger();
    context.runOnContext(
        ignored -> {
          ContextQueue queue = ContextQueue.of(context);
          // As a completion acting on an MQTT endpoint that was already closed did.
          queue.submit(
              () -> {
                throw new IllegalStateException("MQTT endpoint is closed");
              });
          for (int i = 0; i < 10; i++) {
            queue.submit(ran::incrementAndGet);
          }
          queue.submit(() -> done.complete(ran.get()));
        });

    assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(10);
  }
}
