package io.aftercare.platform.ingest;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Chooses how the writer puts telemetry into its table. Normally by COPY straight into {@code
 * telemetry}: the fastest way in, but one point already stored (a device redelivering a message
 * whose acknowledgement it missed) fails the whole COPY on the primary key. That batch is then
 * written again through the staging table with {@code ON CONFLICT DO NOTHING}, and so is every
 * batch for a while after it: redeliveries come in bursts (a device reconnecting resends all it had
 * in flight), and failing a COPY per redelivered message would cost more than it saves.
 */
final class RedeliveryFallback {

  private final long windowNanos;
  private final LongSupplier nanoTime;
  private boolean conflictSeen;
  private long conflictAt;

  RedeliveryFallback(Duration window, LongSupplier nanoTime) {
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Whether the next batch should go through the staging table. */
  boolean active() {
    return conflictSeen && nanoTime.getAsLong() - conflictAt < windowNanos;
  }

  /** A direct COPY met a point already stored. */
  void conflictSeen() {
    conflictSeen = true;
    conflictAt = nanoTime.getAsLong();
  }
}
