package io.aftercare.platform.ingest;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Timestamps for documents that came without {@code ts}: the time of receipt, in microseconds (the
 * table's precision), made distinct per device by never handing a device the same microsecond
 * twice.
 *
 * <p>A document is keyed by (device, ts). Stamping every {@code ts}-less document of a message, or
 * of messages received within the same microsecond, with the one receipt instant made them one row
 * and discarded the rest as duplicates after they were acknowledged. Here a device's stamps
 * increase strictly: a message of n such documents takes n consecutive microseconds starting at the
 * receipt time or just after the device's previous stamp, whichever is later. Stamps run ahead of
 * the clock only while a device sends more than a million {@code ts}-less documents per second,
 * which its quota forbids. A device-supplied {@code ts} is untouched: it identifies a
 * retransmission.
 */
final class ReceiptStamps {

  private static final long MICROS_PER_SECOND = 1_000_000L;

  private final ConcurrentHashMap<String, Long> lastStamp = new ConcurrentHashMap<>();
  private volatile long prunedAtMicros;

  /**
   * Reserves {@code count} consecutive microseconds for the device, starting no earlier than {@code
   * receivedAt}; returns the first.
   */
  Instant reserve(String deviceId, int count, Instant receivedAt) {
    long now = micros(receivedAt);
    pruneIfDue(now);
    // compute() is atomic per key, and the pruning below removes an entry only if it is unchanged.
    long last =
        lastStamp.compute(
            deviceId,
            (id, previous) -> (previous == null ? now : Math.max(now, previous + 1)) + count - 1);
    long first = last - count + 1;
    return Instant.ofEpochSecond(
        Math.floorDiv(first, MICROS_PER_SECOND), Math.floorMod(first, MICROS_PER_SECOND) * 1_000);
  }

  private void pruneIfDue(long nowMicros) {
    if (nowMicros - prunedAtMicros < MICROS_PER_SECOND) {
      return;
    }
    prunedAtMicros = nowMicros;
    // A stamp a second in the past constrains nothing: the next reservation starts at its receipt
    // time, read just before, anyway. Removing it keeps the map to the devices sending right now.
    lastStamp.values().removeIf(last -> last < nowMicros - MICROS_PER_SECOND);
  }

  static long micros(Instant instant) {
    return instant.getEpochSecond() * MICROS_PER_SECOND + instant.getNano() / 1_000;
  }
}
