package io.aftercare.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.LinkChange;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmChangeType;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.eval.Forecast;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.domain.Telemetry;
import io.aftercare.simulator.device.Devices;
import io.aftercare.simulator.device.Reading;
import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.scenario.FleetPlan;
import io.aftercare.simulator.scenario.FleetPlan.PlannedDevice;
import io.aftercare.simulator.scenario.FleetPlan.PlannedFault;
import io.aftercare.simulator.scenario.FleetPlanner;
import io.aftercare.simulator.scenario.ScenarioLoader;
import io.aftercare.simulator.score.GroundTruth.InjectedFault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The bundled {@code battery-forecast} scenario played in simulated time against the default pack
 * in process (no platform, no network), 40 minutes like the run it is meant for, then scored: each
 * draining battery warned about by its forecast within 5 minutes of the drain's start, and no
 * forecast warning on any healthy device, with the gauges' normal jitter and load sags.
 */
class BatteryForecastScenarioTest {

  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration RUN = Duration.ofMinutes(40);

  @Test
  void drainsAreWarnedWithinFiveMinutesAndHealthyDevicesNever() throws Exception {
    RuleSet pack = new RuleLoader(new ConditionCompiler()).loadDefaults();
    FleetPlan plan = FleetPlanner.plan(ScenarioLoader.load("classpath:battery-forecast"));
    List<PlatformAlarm> alarms = new ArrayList<>();
    Map<String, String> fleet = new LinkedHashMap<>();
    List<InjectedFault> faults = new ArrayList<>();
    for (PlannedDevice planned : plan.devices()) {
      fleet.put(planned.id(), planned.type().id());
      List<PlannedFault> own =
          plan.faults().stream().filter(f -> f.deviceId().equals(planned.id())).toList();
      own.forEach(
          f ->
              faults.add(
                  new InjectedFault(
                      f.deviceId(), f.fault(), START.plus(f.startAfter()), f.curedBy())));
      for (AlarmChange change : run(pack, planned, own)) {
        alarms.add(
            new PlatformAlarm(
                alarms.size() + 1,
                change.deviceId(),
                change.ruleId(),
                "active",
                change.at(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.ofNullable(change.alarm().forecast()).map(Forecast::summary)));
      }
    }
    GroundTruth truth =
        new GroundTruth(START, Optional.of(START.plus(RUN)), fleet, faults, List.of());

    ScoreReport report =
        new Scorer(FaultDetectionMap.defaults(), Duration.ofMinutes(2))
            .score(truth, alarms, List.of(), START.plus(RUN));

    ScoreReport.Forecasts forecasts = report.forecasts();
    assertThat(forecasts.faults()).isEqualTo(2);
    assertThat(forecasts.warned()).isEqualTo(2);
    assertThat(forecasts.warnings())
        .allSatisfy(
            w -> {
              assertThat(w.rule()).isEqualTo("battery_drain_forecast");
              assertThat(w.afterS()).isLessThanOrEqualTo(300.0);
              assertThat(w.forecast()).startsWith("battery empty in about");
            });
    assertThat(forecasts.falseWarnings()).isZero();
    assertThat(report.falseAlarms()).isZero();
  }

  /** One device for the whole run; returns its RAISED changes. */
  private static List<AlarmChange> run(
      RuleSet pack, PlannedDevice planned, List<PlannedFault> own) {
    SimulatedDevice device = Devices.create(planned.id(), planned.type(), planned.seed());
    DeviceProfile profile =
        new DeviceProfile(planned.id(), planned.type().id(), "M1", device.firmware());
    DiagnosticsEngine engine = new DiagnosticsEngine(() -> pack);
    List<AlarmChange> changes =
        new ArrayList<>(engine.onConnectivity(profile, LinkChange.CONNECTED, START));
    List<PlannedFault> pending = new ArrayList<>(own);
    Instant now = START;
    while (now.isBefore(START.plus(RUN))) {
      now = now.plus(planned.interval());
      for (PlannedFault fault : List.copyOf(pending)) {
        if (!now.isBefore(START.plus(fault.startAfter()))) {
          device.inject(fault.fault(), START.plus(fault.startAfter()), fault.curedBy());
          pending.remove(fault);
        }
      }
      Reading reading = device.tick(now, planned.interval());
      Map<String, Double> metrics = new LinkedHashMap<>();
      reading
          .metrics()
          .forEach(
              (name, value) ->
                  metrics.put(
                      name,
                      value instanceof Boolean b
                          ? (b ? 1.0 : 0.0)
                          : ((Number) value).doubleValue()));
      if (!metrics.isEmpty()) {
        changes.addAll(
            engine.onTelemetry(profile, new Telemetry(planned.id(), reading.ts(), true, metrics)));
      }
      changes.addAll(engine.tick(now));
    }
    return changes.stream().filter(c -> c.type() == AlarmChangeType.RAISED).toList();
  }
}
