package io.aftercare.simulator.load;

import java.time.Duration;

/**
 * CPU time this JVM used over an interval, as a share of the whole machine. Near 100 % means the
 * load generator, not the system under test, limited the result.
 */
final class CpuMeter {

  /**
   * @param percentOfMachine CPU time / (wall time x cores)
   */
  record Usage(double cpuSeconds, double wallSeconds, int cores, double percentOfMachine) {}

  private final long startWallNanos = System.nanoTime();
  private final Duration startCpu = processCpu();

  Usage stop() {
    double wall = (System.nanoTime() - startWallNanos) / 1e9;
    double cpu = (processCpu().toNanos() - startCpu.toNanos()) / 1e9;
    int cores = Runtime.getRuntime().availableProcessors();
    double percent = wall <= 0 ? 0 : 100.0 * cpu / (wall * cores);
    return new Usage(cpu, wall, cores, percent);
  }

  private static Duration processCpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
  }
}
