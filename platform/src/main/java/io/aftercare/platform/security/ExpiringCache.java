package io.aftercare.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A small bounded cache whose entries expire, for credentials verified against the database:
 * reconnect storms then cost no database round trip per device, and a revoked credential stops
 * working within the time-to-live.
 */
public final class ExpiringCache<K, V> {

  private record Entry<V>(V value, Instant expiresAt) {}

  private final Duration ttl;
  private final Clock clock;
  private final Map<K, Entry<V>> entries;

  public ExpiringCache(int maxEntries, Duration ttl, Clock clock) {
    this.ttl = ttl;
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
            return size() > maxEntries;
          }
        };
  }

  public synchronized Optional<V> get(K key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.expiresAt())) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(entry.value());
  }

  public synchronized void put(K key, V value) {
    if (!ttl.isZero()) {
      entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
    }
  }

  public synchronized void invalidate(K key) {
    entries.remove(key);
  }
}
