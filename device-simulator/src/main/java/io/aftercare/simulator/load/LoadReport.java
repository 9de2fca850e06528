package io.aftercare.simulator.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load test's result, written as JSON. {@code lost} and {@code duplicated} are numbers, or the
 * string {@code "unknown"} when the run could not look into the platform (--no-provision).
 *
 * @param warmupS sent before the measured {@code durationS}; its messages count in sent, acked,
 *     failed, lost and duplicated, and in the timeline, but not in latency or throughput
 * @param metricsPerMessage metrics of each document
 * @param documentsPerMessage 1, or the size of each message's batch of documents
 * @param acked QoS 1 and CoAP: acknowledged by the platform; QoS 0: written to the socket
 * @param duplicated duplicate rows in the database plus acknowledgements for packet ids that had
 *     nothing in flight
 * @param messagesPerSecond acknowledged messages of the measured window over the time from its
 *     first intended send to its last acknowledgement
 * @param timeline second by second of the schedule: acknowledged, slowest, and slower than 100 ms
 * @param cpuPerProcess CPU time of the generator and of the processes named with {@code --cpu-of}
 *     over the measured window, per acknowledged message
 */
public record LoadReport(
    int devices,
    int connected,
    String protocol,
    int qos,
    double durationS,
    double warmupS,
    double targetRate,
    int metricsPerMessage,
    int documentsPerMessage,
    long sent,
    long acked,
    long failed,
    Object lost,
    Object duplicated,
    Object storedNotAcked,
    long duplicateAcks,
    double messagesPerSecond,
    double pointsPerSecond,
    Latency latencyMs,
    Connect connect,
    Map<String, Long> errors,
    List<LatencyTimeline.Second> timeline,
    Simulator simulator,
    ProcessCosts cpuPerProcess) {

  /** Milliseconds from the intended send time to the acknowledgement. */
  public record Latency(double p50, double p95, double p99, double p999, double max, double mean) {}

  /** How the fleet connected: the whole ramp-up and single connections. */
  public record Connect(double rampUpS, double p50Ms, double p99Ms, double maxMs) {}

  /**
   * The load generator's own cost during the send window; {@code cpuPercentOfMachine} near 100
   * means the generator was the bottleneck.
   *
   * @param lagMs how late the generator itself handed messages to their connections (measured
   *     window): part of {@code latencyMs} that no server caused. A lag near the latency means the
   *     figure is the generator's, not the platform's.
   */
  public record Simulator(double cpuPercentOfMachine, double cpuSeconds, int cores, Lag lagMs) {}

  /** Milliseconds from the intended send time to the message reaching its connection. */
  public record Lag(double p50, double p99, double max) {}

  /**
   * @param windowS from the end of the warm-up until every acknowledgement was awaited
   * @param ackedMessages acknowledged messages of the measured window
   * @param processes empty where there is no {@code /proc} to read
   */
  public record ProcessCosts(double windowS, long ackedMessages, List<ProcessCpu> processes) {}

  /**
   * One process with its descendants over the measured window.
   *
   * @param percentOfMachine CPU time / (window x cores)
   * @param microsPerAckedMessage microseconds of CPU per acknowledged message
   */
  public record ProcessCpu(
      String name, double cpuSeconds, double percentOfMachine, double microsPerAckedMessage) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path file) {
    try {
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report " + file, e);
    }
  }

  /** e.g. {@code load: 200 devices mqtt qos1 30s: sent=.. acked=.. ... sim-cpu=41%} */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "load: %d devices %s qos%d %ss (+%ss warm-up): sent=%d acked=%d failed=%d lost=%s dup=%s %,.0f msg/s"
            + " %,.0f pts/s p50=%.1fms p95=%.1fms p99=%.1fms max=%.1fms sim-cpu=%.0f%%"
            + " sim-lag-p99=%.1fms cpu-us-per-msg:%s",
        devices,
        protocol,
        qos,
        seconds(durationS),
        seconds(warmupS),
        sent,
        acked,
        failed,
        lost,
        duplicated,
        messagesPerSecond,
        pointsPerSecond,
        latencyMs.p50(),
        latencyMs.p95(),
        latencyMs.p99(),
        latencyMs.max(),
        simulator.cpuPercentOfMachine(),
        simulator.lagMs().p99(),
        cpuPerMessage());
  }

  /** e.g. {@code " generator=9.8 platform=21.3 postgres=14.0"}, or {@code " -"} without /proc. */
  private String cpuPerMessage() {
    if (cpuPerProcess.processes().isEmpty()) {
      return " -";
    }
    StringBuilder text = new StringBuilder();
    for (ProcessCpu process : cpuPerProcess.processes()) {
      text.append(
          String.format(Locale.ROOT, " %s=%.1f", process.name(), process.microsPerAckedMessage()));
    }
    return text.toString();
  }

  private static String seconds(double value) {
    return new java.math.BigDecimal(value).stripTrailingZeros().toPlainString();
  }
}
