package io.aftercare.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.aftercare.platform.Platform;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway's logging configuration never makes the caller wait for stdout. Event loops log (a
 * refused connection, a status that could not be stored); were each line written on the caller's
 * thread, a reader of stdout that falls behind (journald during a reconnect storm, a paused
 * terminal) would stall every connection of that event loop.
 */
class LogOutputNeverBlocksTest {

  @Test
  void aStalledStdoutHoldsUpNoCallerAndLosesNoLineOnceItDrains() throws Exception {
    StalledStream stdout = new StalledStream();
    PrintStream original = System.out;
    LoggerContext context = new LoggerContext();
    // A context of its own, so that the test's stalled stdout holds up no other test's logging.
    context.setMDCAdapter(new LogbackMDCAdapter());
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(Platform.class.getResource("/logback.xml"));
      Logger logger = context.getLogger("io.aftercare.platform.test");

      CompletableFuture<Void> logging =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 100; i++) {
                  logger.warn("line {}", i);
                }
              });
      // Written on the caller's thread, the first line would wait here until the stream drains.
      logging.get(30, TimeUnit.SECONDS);
      assertThat(stdout.text()).isEmpty();

      stdout.drain();
      context.stop();
    } finally {
      System.setOut(original);
      stdout.drain();
    }
    assertThat(stdout.text()).contains("WARN", "line 0", "line 99");
  }

  /** Stdout whose reader is not reading: every write waits until {@link #drain}. */
  private static final class StalledStream extends OutputStream {

    private final CountDownLatch reading = new CountDownLatch(1);
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      // Like a real stdout, not interruptible: stopping the logging interrupts its writer thread,
      // which is then to write out what is queued.
      boolean interrupted = false;
      while (true) {
        try {
          reading.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      synchronized (written) {
        written.write(bytes, offset, length);
      }
    }

    void drain() {
      reading.countDown();
    }

    String text() {
      synchronized (written) {
        return written.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
