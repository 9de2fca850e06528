package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class TickSchedulerTest {

  private static final double RATE = 20_000;

  @Test
  void everyMessageKeepsItsOwnIntendedTimeAndGoesToItsDeviceInOrder() {
    List<RecordingConnection> devices =
        List.of(new RecordingConnection(), new RecordingConnection());
    SteppingClock clock = new SteppingClock();
    long start = clock.nanoTime();

    new TickScheduler(devices, RATE, 2_000, clock).run(start, 1_000_000);

    for (int d = 0; d < devices.size(); d++) {
      List<LoadMessage> got = devices.get(d).messages;
      assertThat(got).hasSize(1_000);
      for (int k = 0; k < got.size(); k++) {
        long i = (long) k * devices.size() + d;
        long intended = start + (long) (i * 1e9 / RATE);
        assertThat(got.get(k).intendedNanos()).isEqualTo(intended);
        assertThat(got.get(k).tsMillis()).isEqualTo(1_000_000 + (intended - start) / 1_000_000);
      }
    }
  }

  @Test
  void atHighRatesMessagesAreHandedOverAndFlushedPerTickNotPerMessage() {
    RecordingConnection device = new RecordingConnection();

    SteppingClock clock = new SteppingClock();
    TickScheduler scheduler = new TickScheduler(List.of(device), RATE, 2_000, clock);
    scheduler.run(clock.nanoTime(), 0);

    assertThat(device.messages).hasSize(2_000);
    // 2,000 messages due every 50 µs (the last at 99.95 ms): one hand-over at the start, for
    // message 0, then one per millisecond up to 100 ms, each with the 20 that came due; not 2,000.
    assertThat(device.handOvers).isEqualTo(101);
    assertThat(device.flushes).isEqualTo(device.handOvers);
    assertThat(scheduler.handedOver()).isTrue();
  }

  /**
   * A clock that is never late: waiting jumps it to the time waited for, so every tick wakes
   * exactly when it is due whatever else the machine is doing.
   */
  private static final class SteppingClock implements NanoClock {
    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void parkUntil(long nanoTime) {
      now = Math.max(now, nanoTime);
    }
  }

  /** Runs hand-overs on the caller's thread and records what it was given. */
  private static final class RecordingConnection implements LoadConnection {
    private final List<LoadMessage> messages = new ArrayList<>();
    private int handOvers;
    private int flushes;

    /** One instance: the scheduler groups a tick's messages by executor identity. */
    private final Executor executor =
        task -> {
          handOvers++;
          task.run();
        };

    @Override
    public Executor executor() {
      return executor;
    }

    @Override
    public void submit(LoadMessage message) {
      messages.add(message);
    }

    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public CompletionStage<Void> connect() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public int outstanding() {
      return 0;
    }

    @Override
    public CompletionStage<Void> close() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public DeviceTally tally() {
      return new DeviceTally("recording");
    }
  }
}
