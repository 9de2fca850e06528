package io.aftercare.platform.security;

import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed authentications summed per channel and source over a report interval, then written as one
 * log line and one audit row per source: an attack of thousands of attempts a second costs a line a
 * minute, and the credentials tried are never seen here at all.
 *
 * <p>At most {@code maxSources} sources are reported per interval; failures from further sources
 * are summed per channel into one more line and row, so neither memory nor the log grows with the
 * number of addresses an attacker uses.
 */
final class FailedAuthReport {

  private static final Logger LOG = LoggerFactory.getLogger(FailedAuthReport.class);
  static final String ACTION = "auth.failed";
  static final String OTHER_SOURCES = "other-sources";

  private record Source(FailedAuthentication.Channel channel, String address) {}

  private static final class Counts {
    final AtomicLong failures = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
  }

  private final AuditLog audit;
  private final Clock clock;
  private final int maxSources;
  private volatile Window window;

  private final class Window {
    final Instant start = clock.instant();
    final Map<Source, Counts> bySource = new ConcurrentHashMap<>();
    final Map<FailedAuthentication.Channel, Counts> beyondLimit =
        new EnumMap<>(FailedAuthentication.Channel.class);

    Window() {
      for (FailedAuthentication.Channel channel : FailedAuthentication.Channel.values()) {
        beyondLimit.put(channel, new Counts());
      }
    }

    Counts counts(FailedAuthentication.Channel channel, String address) {
      Source source = new Source(channel, address);
      Counts counts = bySource.get(source);
      if (counts != null) {
        return counts;
      }
      // The size check races with other threads by a few entries at most: bounded all the same.
      return bySource.size() < maxSources
          ? bySource.computeIfAbsent(source, s -> new Counts())
          : beyondLimit.get(channel);
    }
  }

  FailedAuthReport(AuditLog audit, Clock clock, int maxSources) {
    this.audit = audit;
    this.clock = clock;
    this.maxSources = maxSources;
    this.window = new Window();
  }

  void failed(FailedAuthentication.Channel channel, String address) {
    window.counts(channel, address).failures.incrementAndGet();
  }

  void refused(FailedAuthentication.Channel channel, String address) {
    window.counts(channel, address).refused.incrementAndGet();
  }

  /** Ends the current interval: logs and audits what it saw, and starts the next one. */
  void flush() {
    Window ended = window;
    window = new Window();
    Instant end = clock.instant();
    ended.bySource.forEach(
        (source, counts) -> report(source.channel(), source.address(), counts, ended.start, end));
    ended.beyondLimit.forEach(
        (channel, counts) -> report(channel, OTHER_SOURCES, counts, ended.start, end));
  }

  private void report(
      FailedAuthentication.Channel channel,
      String address,
      Counts counts,
      Instant start,
      Instant end) {
    long failures = counts.failures.get();
    long refused = counts.refused.get();
    if (failures == 0 && refused == 0) {
      return;
    }
    LOG.warn(
        "{} failed and {} refused {} authentications from {} between {} and {}",
        failures,
        refused,
        channel.wireName(),
        address,
        start,
        end);
    audit
        .record(
            AuditEntry.of(
                    FailedAuthentication.ACTOR,
                    ACTION,
                    channel.wireName(),
                    AuditEntry.Outcome.DENIED,
                    OTHER_SOURCES.equals(address) ? null : address)
                .withDetail(
                    Map.of(
                        "failures", failures,
                        "refusedWhileBackingOff", refused,
                        "from", start.toString(),
                        "to", end.toString(),
                        "source", address)))
        .onFailure(e -> LOG.warn("Could not audit failed authentications: {}", e.getMessage()));
  }
}
