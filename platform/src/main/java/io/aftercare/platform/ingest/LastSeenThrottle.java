package io.aftercare.platform.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whose {@code last_seen_at} a batch updates: each device at most once per interval.
 *
 * <p>Updating the device row with every message rewrote one row per device and batch (a new row
 * version, an index update, WAL) and, at a few thousand messages per second, cost the database more
 * than the telemetry itself. Last-seen is read by people and by the offline checks, whose windows
 * are minutes, so seconds of staleness change nothing. Used by the writer thread only.
 */
final class LastSeenThrottle {

  private final long intervalNanos;
  private final Map<String, Long> writtenAt = new HashMap<>();
  private long prunedAt;

  LastSeenThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** The devices, out of those in a batch, whose last-seen is due, sorted (see the writer). */
  List<String> due(Collection<String> devices, long nowNanos) {
    List<String> due = new ArrayList<>();
    for (String device : devices) {
      Long last = writtenAt.get(device);
      if (last == null || nowNanos - last >= intervalNanos) {
        due.add(device);
      }
    }
    due.sort(null);
    return due;
  }

  /** Records, once the batch is committed, that these devices' last-seen was written. */
  void written(List<String> devices, long nowNanos) {
    for (String device : devices) {
      writtenAt.put(device, nowNanos);
    }
    if (nowNanos - prunedAt >= intervalNanos) {
      // Forget devices that went quiet, so the map holds only the recently active ones.
      writtenAt.values().removeIf(last -> nowNanos - last >= intervalNanos);
      prunedAt = nowNanos;
    }
  }
}
