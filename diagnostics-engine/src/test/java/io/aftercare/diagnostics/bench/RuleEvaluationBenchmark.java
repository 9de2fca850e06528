package io.aftercare.diagnostics.bench;

import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.domain.Telemetry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Points per second one engine evaluates on one thread against the default rule pack. Each
 * invocation feeds one six-metric document of the next device, round-robin over the fleet, with
 * time advancing 10 s per round, so windows fill and alarms update as in production. The score is
 * in points (metric values) per second thanks to {@link OperationsPerInvocation}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RuleEvaluationBenchmark {
  private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");

  @Param({"10000"})
  int devices;

  private SimulatedFleet fleet;
  private DiagnosticsEngine engine;
  private int device;
  private long round;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    RuleSet rules = new RuleLoader(new ConditionCompiler()).loadDefaults();
    fleet = new SimulatedFleet(devices, 42);
    engine = new DiagnosticsEngine(() -> rules);
  }

  @Benchmark
  @OperationsPerInvocation(SimulatedFleet.METRICS_PER_DOCUMENT)
  public List<?> evaluateOneDocument() {
    if (++device == devices) {
      device = 0;
      round++;
    }
    Telemetry telemetry =
        new Telemetry(
            fleet.devices[device].id(),
            START.plusSeconds(round * 10),
            true,
            fleet.documents[device][(int) (round % SimulatedFleet.VARIANTS)]);
    return engine.onTelemetry(fleet.devices[device], telemetry);
  }
}
