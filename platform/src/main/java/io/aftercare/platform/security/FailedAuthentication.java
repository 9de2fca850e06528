package io.aftercare.platform.security;

import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.config.AftercareConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Failed authentication on every door (staff bearer tokens and console sign-in, MQTT CONNECT, CoAP
 * tokens and DTLS identities): counted in metrics, reported at a bounded rate in the log and the
 * audit log ({@link FailedAuthReport}), and throttled per source address ({@link SourceThrottle}).
 *
 * <p>A door asks {@link #refusal} before checking a credential and refuses the attempt unchecked
 * while the source is backing off; it calls {@link #failed} when a credential is missing or wrong.
 * Thread-safe: the doors run on different event loops and on Californium's threads.
 */
public final class FailedAuthentication implements AutoCloseable {

  /** The audit actor of failed attempts: nobody authenticated. */
  public static final String ACTOR = "anonymous";

  /** Where an authentication was attempted. */
  public enum Channel {
    HTTP,
    MQTT,
    COAP;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final SourceThrottle throttle;
  private final FailedAuthReport report;
  private final Duration reportInterval;
  private final Map<Channel, Counter> failures = new EnumMap<>(Channel.class);
  private final Map<Channel, Counter> refused = new EnumMap<>(Channel.class);
  private Vertx vertx;
  private long timer = -1;

  public FailedAuthentication(
      AftercareConfig.FailedAuth settings, AuditLog audit, Clock clock, MeterRegistry meters) {
    this.throttle = new SourceThrottle(settings, clock);
    this.report = new FailedAuthReport(audit, clock, settings.maxReportedSources());
    this.reportInterval = settings.reportInterval();
    for (Channel channel : Channel.values()) {
      failures.put(
          channel,
          Counter.builder("aftercare.auth.failures")
              .description("Authentications that failed (credential missing or wrong), by channel")
              .tag("channel", channel.wireName())
              .register(meters));
      refused.put(
          channel,
          Counter.builder("aftercare.auth.throttled")
              .description(
                  "Authentication attempts refused unchecked because their source is backing off")
              .tag("channel", channel.wireName())
              .register(meters));
    }
    Gauge.builder("aftercare.auth.throttle.sources", throttle, SourceThrottle::size)
        .description("Source addresses with recent failed authentications being tracked")
        .register(meters);
  }

  /** Starts reporting once per interval. */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    this.timer = vertx.setPeriodic(reportInterval.toMillis(), id -> report.flush());
  }

  /**
   * How long {@code source} must still wait, if it is backing off; the attempt is then counted as
   * refused and must be turned away without checking its credential.
   */
  public Optional<Duration> refusal(Channel channel, String source) {
    Optional<Duration> wait = throttle.refusal(key(source));
    if (wait.isPresent()) {
      refused.get(channel).increment();
      report.refused(channel, key(source));
    }
    return wait;
  }

  /** Counts a missing or wrong credential from {@code source}. */
  public void failed(Channel channel, String source) {
    failures.get(channel).increment();
    report.failed(channel, key(source));
    throttle.failed(key(source));
  }

  /** Whole seconds to put in Retry-After or Max-Age: rounded up, at least 1. */
  public static long seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  private static String key(String source) {
    return source == null ? "unknown" : source;
  }

  /** Stops reporting, after a last report of the interval so far. */
  @Override
  public void close() {
    if (vertx != null) {
      vertx.cancelTimer(timer);
    }
    report.flush();
  }
}
