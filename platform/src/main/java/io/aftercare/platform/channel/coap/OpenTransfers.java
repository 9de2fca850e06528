package io.aftercare.platform.channel.coap;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The Block1 transfers in progress, at most {@code max} at once: each holds up to {@code
 * coap.maxPayloadBytes} of reassembly buffer in Californium until its last block arrives or it
 * expires, so their number bounds that memory. A transfer is known by its peer and path, as
 * Californium knows it (RFC 7959 matches blocks by endpoint and URI).
 */
final class OpenTransfers {

  private final int max;
  private final long lifetimeNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Long> startedAt = new ConcurrentHashMap<>();

  OpenTransfers(int max, Duration lifetime, LongSupplier nanoTime) {
    this.max = max;
    this.lifetimeNanos = lifetime.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Records a transfer starting (or starting over); false when {@code max} are already open. */
  synchronized boolean start(String key) {
    long now = nanoTime.getAsLong();
    if (!startedAt.containsKey(key) && startedAt.size() >= max) {
      startedAt.values().removeIf(started -> now - started > lifetimeNanos);
      if (startedAt.size() >= max) {
        return false;
      }
    }
    startedAt.put(key, now);
    return true;
  }

  /** The transfer's last block arrived. */
  void finish(String key) {
    startedAt.remove(key);
  }

  int size() {
    return startedAt.size();
  }
}
