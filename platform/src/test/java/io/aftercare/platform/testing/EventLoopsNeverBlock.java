package io.aftercare.platform.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import reactor.blockhound.BlockHound;

/**
 * Fails a test class during which a Vert.x event loop blocked: called a blocking method (a JDBC
 * query, a file or socket read, a sleep, a wait on a full queue or a future), or ran past Vert.x's
 * limit (2 s for an event loop, 60 s for a worker).
 *
 * <p>The platform must never wait on an event loop, and such a wait usually shows only as a slower
 * test. Two watchers see it: BlockHound, which instruments the JDK's blocking methods and reports
 * every call of one from an event loop however short, and Vert.x's blocked-thread checker, which
 * only logs. Both are collected here and fail the class that caused them; they are reported with
 * the class rather than the test method, since the checker looks only once a second.
 *
 * <p>It watches every test class of the gateway and of the simulator (registered through {@code
 * META-INF/services} with {@code junit.jupiter.extensions.autodetection.enabled}), whether the
 * class starts a {@link TestPlatform} or a Vert.x of its own.
 */
public final class EventLoopsNeverBlock implements BeforeAllCallback, AfterAllCallback {

  /** The logger Vert.x's {@code BlockedThreadChecker} warns through. */
  static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private static final String EVENT_LOOP_PREFIX = "vert.x-eventloop-thread-";

  private static final Findings FINDINGS = Findings.watching();

  @Override
  public void beforeAll(ExtensionContext context) {
    FINDINGS.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context.getDisplayName());
  }

  /** Throws if anything blocked since the last check, naming {@code during} in the failure. */
  void check(String during) {
    List<String> seen = FINDINGS.drain();
    if (!seen.isEmpty()) {
      throw new AssertionError(
          "An event loop blocked during " + during + ":\n  " + String.join("\n  ", seen));
    }
  }

  /** What both watchers reported since the last drain. */
  static final class Findings extends AppenderBase<ILoggingEvent> {

    private final List<String> messages = new CopyOnWriteArrayList<>();

    static Findings watching() {
      Findings findings = new Findings();
      findings.setName("event-loops-never-block");
      Logger checker = (Logger) LoggerFactory.getLogger(CHECKER_LOGGER);
      findings.setContext(checker.getLoggerContext());
      findings.start();
      checker.addAppender(findings);
      BlockHound.builder()
          .nonBlockingThreadPredicate(
              isNonBlocking ->
                  isNonBlocking.or(thread -> thread.getName().startsWith(EVENT_LOOP_PREFIX)))
          // SecureRandom reads /dev/urandom, which never blocks once the kernel's pool is seeded
          // (at boot). Tokens, salts and command ids are drawn from it on event loops.
          .allowBlockingCallsInside("java.security.SecureRandom", "nextBytes")
          .blockingMethodCallback(
              method -> {
                StackTraceElement[] stack = new Exception().getStackTrace();
                if (!isLockHandover(stack)) {
                  findings.messages.add(
                      Thread.currentThread().getName()
                          + " called "
                          + method
                          + " at "
                          + caller(stack));
                }
              })
          .install();
      return findings;
    }

    /**
     * A {@code ReentrantLock} taken while another thread holds it for a few instructions (a queue's
     * {@code offer} while its consumer takes) parks only when the two happen to meet. That is not a
     * wait for something to happen, and flagging it would fail tests at random. A wait on one of
     * the lock's conditions ({@code put} on a full queue) is, and stays flagged.
     */
    private static boolean isLockHandover(StackTraceElement[] stack) {
      boolean lock = false;
      for (StackTraceElement frame : stack) {
        if (frame.getClassName().endsWith("$ConditionObject")) {
          return false;
        }
        if (frame.getClassName().startsWith("java.util.concurrent.locks.Reentrant")
            && frame.getMethodName().equals("lock")) {
          lock = true;
        }
      }
      return lock;
    }

    /** The first frames outside the JDK and BlockHound: the code that made the call. */
    private static String caller(StackTraceElement[] stack) {
      return Arrays.stream(stack)
          .filter(frame -> !isLibraryFrame(frame.getClassName()))
          .limit(3)
          .map(StackTraceElement::toString)
          .collect(Collectors.joining(" < "));
    }

    private static boolean isLibraryFrame(String className) {
      return className.startsWith("java.")
          || className.startsWith("jdk.")
          || className.startsWith("sun.")
          || className.startsWith("reactor.blockhound.")
          || className.startsWith(Findings.class.getName());
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
