package io.aftercare.simulator.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The CPU time each watched process spent over the measured window (after the warm-up, until the
 * last acknowledgement was awaited), per acknowledged message of that window: what one message
 * costs each process, the figure that sizes a fleet. Provisioning, ramp-up, warm-up and the
 * delivery check, which read everything back through the API, are left out.
 */
final class ProcessCpuWindow {

  private final ProcessTreeCpu cpu;
  private final CompletableFuture<Sample> start;

  private record Sample(long nanos, Map<String, Long> ticks) {}

  /**
   * @param startNanos the {@link System#nanoTime} at which the window opens; sampled then on a
   *     thread of its own, so that the scheduler keeps its pace
   */
  ProcessCpuWindow(List<WatchedProcess> watched, long startNanos) {
    this.cpu = new ProcessTreeCpu(watched);
    this.start = new CompletableFuture<>();
    Thread sampler =
        new Thread(
            () -> {
              NanoClock.SYSTEM.parkUntil(startNanos);
              start.complete(sample());
            },
            "cpu-window-start");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Closes the window now. */
  LoadReport.ProcessCosts finish(long ackedMessages) {
    Sample end = sample();
    Sample begin = start.join();
    double window = Math.max(1e-9, (end.nanos() - begin.nanos()) / 1e9);
    int cores = Runtime.getRuntime().availableProcessors();
    List<LoadReport.ProcessCpu> processes = new ArrayList<>();
    begin
        .ticks()
        .forEach(
            (name, before) -> {
              Long after = end.ticks().get(name);
              if (after != null) {
                double seconds = (after - before) / ProcessTreeCpu.TICKS_PER_SECOND;
                processes.add(
                    new LoadReport.ProcessCpu(
                        name,
                        round(seconds),
                        round(100 * seconds / (window * cores)),
                        ackedMessages == 0 ? 0 : round(seconds * 1e6 / ackedMessages)));
              }
            });
    return new LoadReport.ProcessCosts(round(window), ackedMessages, processes);
  }

  private Sample sample() {
    return new Sample(System.nanoTime(), cpu.ticks());
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
