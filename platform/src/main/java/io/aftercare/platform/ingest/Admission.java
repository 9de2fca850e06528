package io.aftercare.platform.ingest;

/**
 * Whether a device may send another message now ({@link IngestService#admit}). Anything but {@link
 * #ADMITTED} is the device exceeding its own allowance, never the platform being short of room:
 * channels answer it with their quota codes and do not read the payload.
 */
public enum Admission {
  ADMITTED("admitted"),
  /** More messages per second than {@code ingest.deviceQuota.messagesPerSecond}. */
  RATE_EXCEEDED("message rate too high"),
  /** More payload bytes per second than {@code ingest.deviceQuota.bytesPerSecond}. */
  BYTES_EXCEEDED("byte quota exceeded"),
  /** The device already has {@code ingest.deviceQuota.maxQueuedPoints} waiting for the database. */
  QUEUE_SHARE_FULL("too much of this device's data waiting to be stored");

  private final String reason;

  Admission(String reason) {
    this.reason = reason;
  }

  /** Said to the device (MQTT 5 reason string, CoAP diagnostic payload). */
  public String reason() {
    return reason;
  }

  /** The name used as a metric tag. */
  String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
