package io.aftercare.platform.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Each device's allowance of messages and payload bytes per second: two token buckets per device,
 * refilled continuously, each holding at most {@code burstSeconds} of its rate.
 *
 * <p>Checked at the door, before a payload is parsed, so that a device sending faster than any
 * firmware should costs the platform a map look-up per message and nothing downstream. Buckets of
 * devices idle for longer than it takes to refill are forgotten: a full bucket and a missing one
 * admit alike. Thread-safe: MQTT connections and CoAP requests of one device may arrive on
 * different threads.
 */
final class DeviceQuotas {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double messagesPerSecond;
  private final double bytesPerSecond;
  private final double burstSeconds;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Buckets> devices = new ConcurrentHashMap<>();
  private volatile long prunedAt;

  DeviceQuotas(
      double messagesPerSecond, double bytesPerSecond, double burstSeconds, LongSupplier nanoTime) {
    this.messagesPerSecond = messagesPerSecond;
    this.bytesPerSecond = bytesPerSecond;
    this.burstSeconds = burstSeconds;
    this.nanoTime = nanoTime;
    this.prunedAt = nanoTime.getAsLong();
  }

  /** Takes one message of {@code bytes} from the device's allowance, if it has that much left. */
  Admission take(String deviceId, int bytes) {
    long now = nanoTime.getAsLong();
    pruneIfDue(now);
    Buckets buckets = devices.computeIfAbsent(deviceId, id -> new Buckets(now));
    synchronized (buckets) {
      buckets.refill(now);
      if (buckets.messages < 1) {
        return Admission.RATE_EXCEEDED;
      }
      if (buckets.bytes < bytes && buckets.bytes < bytesPerSecond * burstSeconds) {
        return Admission.BYTES_EXCEEDED;
      }
      // A message larger than the whole byte bucket still passes once the bucket is full, and
      // leaves it in debt: the packet-size limit, not the quota, decides what is too large.
      buckets.messages -= 1;
      buckets.bytes -= bytes;
      return Admission.ADMITTED;
    }
  }

  /** Whole seconds until the device's allowance admits a message again; at least 1. */
  long retryAfterSeconds(String deviceId) {
    Buckets buckets = devices.get(deviceId);
    if (buckets == null) {
      return 1;
    }
    synchronized (buckets) {
      double messageWait = Math.max(0, 1 - buckets.messages) / messagesPerSecond;
      double byteWait = Math.max(0, -buckets.bytes) / bytesPerSecond;
      return Math.max(1, (long) Math.ceil(Math.max(messageWait, byteWait)));
    }
  }

  /** Devices with a bucket; for tests of the pruning. */
  int trackedDevices() {
    return devices.size();
  }

  private void pruneIfDue(long now) {
    long idleNanos = (long) (burstSeconds * NANOS_PER_SECOND);
    long last = prunedAt;
    if (now - last < idleNanos) {
      return;
    }
    prunedAt = now;
    // A device quiet for a whole burst has full buckets again: its entry says nothing.
    devices
        .values()
        .removeIf(
            buckets -> {
              synchronized (buckets) {
                return now - buckets.refilledAt >= idleNanos;
              }
            });
  }

  private final class Buckets {
    private double messages;
    private double bytes;
    private long refilledAt;

    Buckets(long now) {
      messages = messagesPerSecond * burstSeconds;
      bytes = bytesPerSecond * burstSeconds;
      refilledAt = now;
    }

    void refill(long now) {
      double seconds = (now - refilledAt) / (double) NANOS_PER_SECOND;
      refilledAt = now;
      messages = Math.min(messagesPerSecond * burstSeconds, messages + seconds * messagesPerSecond);
      bytes = Math.min(bytesPerSecond * burstSeconds, bytes + seconds * bytesPerSecond);
    }
  }
}
