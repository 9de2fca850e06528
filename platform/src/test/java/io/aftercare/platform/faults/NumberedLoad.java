package io.aftercare.platform.faults;

import java.time.Instant;

/**
 * A simulated device sending numbered documents from its own thread until stopped, recording what
 * it sent and what was acknowledged in a {@link DeliveryLedger}. Each document's sequence number is
 * its {@code seq} metric and its time stamp's offset in milliseconds from {@code base}, so the
 * checker can tell every stored row apart.
 */
public abstract class NumberedLoad {

  private final Instant base;
  private final Thread thread;
  volatile boolean running = true;

  NumberedLoad(String name, Instant base) {
    this.base = base;
    this.thread = new Thread(this::run, name);
  }

  public final NumberedLoad start() {
    thread.start();
    return this;
  }

  /** Sends until {@link #running} turns false. */
  abstract void run();

  /** The telemetry document numbered {@code sequence}. */
  final String document(long sequence) {
    return "{\"ts\":"
        + base.plusMillis(sequence).toEpochMilli()
        + ",\"metrics\":{\"seq\":"
        + sequence
        + "}}";
  }

  /** Stops sending and waits for the sending thread to end. */
  public void stop() throws InterruptedException {
    running = false;
    thread.join(30_000);
  }
}
