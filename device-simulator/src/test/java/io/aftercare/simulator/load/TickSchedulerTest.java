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
    long start = System.nanoTime();

    new TickScheduler(devices, RATE, 2_000).run(start, 1_000_000);

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

    TickScheduler scheduler = new TickScheduler(List.of(device), RATE, 2_000);
    scheduler.run(System.nanoTime(), 0);

    assertThat(device.messages).hasSize(2_000);
    // 2,000 messages due over 100 ms: about one hand-over per millisecond, not 2,000.
    assertThat(device.handOvers).isBetween(10, 200);
    assertThat(device.flushes).isEqualTo(device.handOvers);
    assertThat(scheduler.handedOver()).isTrue();
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
