package io.aftercare.simulator.load;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets a Netty event loop look at its sockets at most once per period instead of whenever a packet
 * arrives. PUBACKs trickle in one by one (the gateway flushes each on its own), and waking a thread
 * for each was, once sending was batched, most of what the generator spent: in a virtual machine
 * every context switch is dear. Polling once per period handles all that arrived meanwhile in one
 * go. A PUBACK so waits up to one period longer to be seen, which the latency histogram includes,
 * as it measures from the intended send time to the moment the ack is read.
 */
final class PacedSelectStrategy implements SelectStrategy {

  private final long periodNanos;
  private long nextPollNanos = System.nanoTime();

  PacedSelectStrategy(long periodNanos) {
    this.periodNanos = periodNanos;
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    long wait;
    while ((wait = nextPollNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
    // Behind schedule (a long turn of work), poll at once and set the pace from now, so a busy
    // loop never spins to catch up.
    nextPollNanos = Math.max(nextPollNanos, System.nanoTime()) + periodNanos;
    return selectNow.get();
  }
}
