package io.aftercare.gateway.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The guard every test class runs under sees a blocked event loop. What could break it silently is
 * the path of Vert.x's warning (Vert.x logging elsewhere than SLF4J, the logger renamed): then no
 * test would ever fail for blocking, and nothing else would say so.
 */
class EventLoopsNeverBlockTest {

  private final EventLoopsNeverBlock guard = new EventLoopsNeverBlock();

  @Test
  void aBlockedEventLoopFailsTheCheckNamingTheThread() throws Exception {
    // A short limit, so that the test need not block for Vert.x's default 2 s.
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setBlockedThreadCheckInterval(50)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(100)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      guard.check("the warm-up");
      vertx.runOnContext(v -> sleep(600));
      Thread.sleep(900);
    } finally {
      vertx.close().await();
    }

    assertThatThrownBy(() -> guard.check("this test"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("blocked during this test")
        .hasMessageContaining("vert.x-eventloop-thread-0");
    assertThatCode(() -> guard.check("the next class")).doesNotThrowAnyException();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
