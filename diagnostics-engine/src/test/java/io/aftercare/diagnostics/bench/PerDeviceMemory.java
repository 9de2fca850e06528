package io.aftercare.diagnostics.bench;

import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.LinkChange;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import java.time.Instant;

/**
 * Estimates the engine's memory per device: retained heap after feeding 100,000 devices enough data
 * to fill their windows (telemetry rounds, error and reboot events, connection toggles), minus the
 * heap before, divided by the device count. Run with a fixed heap (e.g. -Xmx2g); the fleet's own
 * input data is built before the first measurement so it is not counted.
 */
public final class PerDeviceMemory {
  private static final int DEVICES = 100_000;
  private static final int ROUNDS = 8;

  private PerDeviceMemory() {}

  public static void main(String[] args) throws Exception {
    RuleSet rules = new RuleLoader(new ConditionCompiler()).loadDefaults();
    SimulatedFleet fleet = new SimulatedFleet(DEVICES, 7);
    Instant start = Instant.parse("2026-11-23T00:00:00Z");
    long before = retainedHeap();

    DiagnosticsEngine engine = new DiagnosticsEngine(() -> rules);
    for (int round = 0; round < ROUNDS; round++) {
      Instant at = start.plusSeconds(60L * round);
      for (int d = 0; d < DEVICES; d++) {
        var device = fleet.devices[d];
        engine.onConnectivity(
            device, round % 2 == 0 ? LinkChange.CONNECTED : LinkChange.DROPPED, at);
        engine.onTelemetry(
            device,
            new Telemetry(
                device.id(), at, true, fleet.documents[d][round % SimulatedFleet.VARIANTS]));
        engine.onEvent(device, new DeviceEvent(device.id(), at, "error", "E_TEST", "", null));
        engine.onEvent(device, new DeviceEvent(device.id(), at, "reboot", "watchdog", "", null));
      }
    }
    long after = retainedHeap();
    long tickStart = System.nanoTime();
    int tickChanges = engine.tick(start.plusSeconds(3600)).size();
    long tickMillis = (System.nanoTime() - tickStart) / 1_000_000;

    System.out.printf(
        "devices=%d rounds=%d retained=%.1f MB perDevice=%d bytes; one cold tick over all"
            + " devices: %d ms, %d alarm changes%n",
        DEVICES,
        ROUNDS,
        (after - before) / 1e6,
        (after - before) / DEVICES,
        tickMillis,
        tickChanges);
  }

  private static long retainedHeap() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    // A few collections until the figure settles; System.gc() is only a request.
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}
