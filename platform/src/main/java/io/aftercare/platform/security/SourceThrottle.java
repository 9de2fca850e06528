package io.aftercare.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.aftercare.platform.config.AftercareConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Exponential back-off per source address after failed authentications.
 *
 * <p>A source may fail {@code freeFailures} times; each failure after that refuses it for twice as
 * long as the one before, from {@code initialBackoff} up to {@code maxBackoff}. While refused,
 * every attempt from the source is turned away without a credential check, a right one included:
 * the rule is per source, so other sources' successes and failures never change it. A source that
 * has not failed for {@code forgetAfter} starts over.
 *
 * <p>The table holds at most {@code maxSources} addresses (least recently used dropped first), so
 * an attacker with many addresses costs bounded memory; a dropped source merely starts over.
 */
final class SourceThrottle {

  private static final class Record {
    private int failures;
    private Instant refusedUntil = Instant.EPOCH;
  }

  private final AftercareConfig.FailedAuth settings;
  private final Clock clock;
  private final Cache<String, Record> sources;

  SourceThrottle(AftercareConfig.FailedAuth settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.sources =
        Caffeine.newBuilder()
            .maximumSize(settings.maxSources())
            .expireAfterWrite(settings.forgetAfter())
            .ticker(new ClockTicker(clock))
            .build();
  }

  /** How long {@code source} is still refused, if it is. */
  Optional<Duration> refusal(String source) {
    Record record = sources.getIfPresent(source);
    if (record == null) {
      return Optional.empty();
    }
    synchronized (record) {
      Duration left = Duration.between(clock.instant(), record.refusedUntil);
      return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }
  }

  /** Counts a failure of {@code source}; returns the refusal it now earns, if any. */
  Optional<Duration> failed(String source) {
    Record record = sources.asMap().computeIfAbsent(source, s -> new Record());
    Duration backoff;
    synchronized (record) {
      record.failures++;
      int beyondFree = record.failures - settings.freeFailures();
      if (beyondFree <= 0) {
        backoff = null;
      } else {
        backoff = backoff(beyondFree);
        record.refusedUntil = clock.instant().plus(backoff);
      }
    }
    // Written again so that the entry lives forgetAfter from its latest failure.
    sources.put(source, record);
    return Optional.ofNullable(backoff);
  }

  private Duration backoff(int beyondFree) {
    // Doubling stops before it overflows: 2^30 times any back-off exceeds every sane maximum.
    Duration doubled = settings.initialBackoff().multipliedBy(1L << Math.min(beyondFree - 1, 30));
    return doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
  }

  /** Sources in the table now (for tests of the bound and for the gauge). */
  long size() {
    sources.cleanUp();
    return sources.estimatedSize();
  }

  /** Caffeine's expiry on the injected clock, so that tests can move time. */
  private record ClockTicker(Clock clock) implements Ticker {
    @Override
    public long read() {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
  }
}
