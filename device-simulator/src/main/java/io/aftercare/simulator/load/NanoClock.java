package io.aftercare.simulator.load;

import java.util.concurrent.locks.LockSupport;

/**
 * The monotonic clock the load schedule runs on, and waiting on it. The system one is {@link
 * System#nanoTime}; tests pass one that jumps to the time waited for, so that a schedule's ticks
 * come out the same on a busy machine as on an idle one.
 */
interface NanoClock {

  NanoClock SYSTEM =
      new NanoClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void parkUntil(long nanoTime) {
          long wait;
          while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
        }
      };

  long nanoTime();

  /** Returns once {@link #nanoTime} has reached {@code nanoTime}. */
  void parkUntil(long nanoTime);
}
