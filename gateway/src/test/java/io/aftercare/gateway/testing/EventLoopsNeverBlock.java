package io.aftercare.gateway.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class during which a Vert.x thread was blocked past its limit: an event loop for
 * more than 2 s (Vert.x's default, which the platform keeps), a worker for more than 60 s.
 *
 * <p>The platform must never wait on an event loop (a JDBC call, a full queue), and such a wait
 * usually shows only as a slower test. Vert.x's blocked-thread checker is what notices it, and it
 * only logs; this turns its warnings into a failure of the class that caused them. It watches every
 * test class of the module (registered through {@code META-INF/services} with {@code
 * junit.jupiter.extensions.autodetection.enabled}), whether the class starts a {@link TestPlatform}
 * or a Vert.x of its own. The checker looks once a second, so a block is reported with the class,
 * not the test method, that was running.
 */
public final class EventLoopsNeverBlock implements BeforeAllCallback, AfterAllCallback {

  /** The logger Vert.x's {@code BlockedThreadChecker} warns through. */
  static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private static final Warnings WARNINGS = Warnings.attached();

  @Override
  public void beforeAll(ExtensionContext context) {
    WARNINGS.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context.getDisplayName());
  }

  /** Throws if the checker warned since the last check, naming {@code during} in the failure. */
  void check(String during) {
    List<String> seen = WARNINGS.drain();
    if (!seen.isEmpty()) {
      throw new AssertionError(
          "A Vert.x thread was blocked during " + during + ":\n  " + String.join("\n  ", seen));
    }
  }

  /** The checker's warnings since the last drain, with the thread that was blocked. */
  static final class Warnings extends AppenderBase<ILoggingEvent> {

    private final List<String> messages = new CopyOnWriteArrayList<>();

    static Warnings attached() {
      Warnings warnings = new Warnings();
      warnings.setName("event-loops-never-block");
      Logger checker = (Logger) LoggerFactory.getLogger(CHECKER_LOGGER);
      warnings.setContext(checker.getLoggerContext());
      warnings.start();
      checker.addAppender(warnings);
      return warnings;
    }

    @Override
    protected void append(ILoggingEvent event) {
      messages.add(event.getFormattedMessage());
    }

    void clear() {
      messages.clear();
    }

    List<String> drain() {
      List<String> drained = List.copyOf(messages);
      messages.removeAll(drained);
      return drained;
    }
  }
}
