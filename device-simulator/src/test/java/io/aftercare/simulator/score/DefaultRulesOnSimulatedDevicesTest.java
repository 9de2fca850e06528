package io.aftercare.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.LinkChange;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmChangeType;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import io.aftercare.simulator.device.DeviceEventRecord;
import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.device.Devices;
import io.aftercare.simulator.device.Reading;
import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.score.FaultDetectionMap.Detection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default rule pack against the simulator's device models, in process and in simulated time (no
 * platform, no network): healthy devices raise nothing for hours, and each fault is detected by the
 * rules the fault-detection map names, no sooner than its {@code needs}, with no alarm of another
 * rule. This checks the map's promises and the rules' thresholds against the physics.
 */
class DefaultRulesOnSimulatedDevicesTest {

  private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");
  private static final int SEEDS = 6;

  private static RuleSet pack;
  private final FaultDetectionMap map = FaultDetectionMap.defaults();

  @BeforeAll
  static void loadPack() throws Exception {
    pack = new RuleLoader(new ConditionCompiler()).loadDefaults();
  }

  @Test
  void healthyDevicesRaiseNothingInTwelveHours() {
    for (DeviceType type : DeviceType.values()) {
      for (long seed = 1; seed <= SEEDS; seed++) {
        List<AlarmChange> raised = run(type, seed, null, Duration.ZERO, Duration.ofHours(12));
        assertThat(raised).as("healthy %s, seed %d", type.id(), seed).isEmpty();
      }
    }
  }

  @Test
  void everyFaultIsDetectedByItsRulesNoSoonerThanTheMapSaysAndWithoutFalseAlarms() {
    Duration faultStart = Duration.ofMinutes(20);
    List<String> problems = new ArrayList<>();
    for (FaultKind fault : FaultKind.values()) {
      for (DeviceType type : DeviceType.values()) {
        if (!SimulatedDevice.supports(type, fault)) {
          continue;
        }
        Detection detection = map.detection(fault, type.id());
        for (long seed = 1; seed <= SEEDS; seed++) {
          String what = fault.id() + " on a " + type.id() + ", seed " + seed;
          Duration runFor = faultStart.plus(detection.needs()).plus(Duration.ofMinutes(45));
          List<AlarmChange> raised = run(type, seed, fault, faultStart, runFor);
          Instant faultAt = START.plus(faultStart);
          for (AlarmChange change : raised) {
            if (change.at().isBefore(faultAt)) {
              problems.add(what + ": " + change.ruleId() + " raised before the fault");
            } else if (!detection.rules().contains(change.ruleId())
                && !detection.explains().contains(change.ruleId())) {
              problems.add(what + ": false alarm of " + change.ruleId() + " at " + change.at());
            }
          }
          Optional<AlarmChange> first =
              raised.stream().filter(c -> detection.rules().contains(c.ruleId())).findFirst();
          if (first.isPresent()) {
            Duration after = Duration.between(faultAt, first.get().at());
            if (after.compareTo(detection.needs()) < 0) {
              problems.add(
                  what
                      + ": "
                      + first.get().ruleId()
                      + " after "
                      + after
                      + ", needs says "
                      + detection.needs());
            }
          } else if (detection.possible() && detection.note().isEmpty()) {
            problems.add(what + ": not detected, and the map has no note why");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /** Runs one device and returns the RAISED changes, in order. */
  private List<AlarmChange> run(
      DeviceType type, long seed, FaultKind fault, Duration faultStart, Duration runFor) {
    String id = type.id() + "-" + seed;
    SimulatedDevice device = Devices.create(id, type, seed * 7919);
    DeviceProfile profile = new DeviceProfile(id, type.id(), "M1", device.firmware());
    DiagnosticsEngine engine = new DiagnosticsEngine(() -> pack);
    List<AlarmChange> changes = new ArrayList<>();
    Instant now = START;
    Instant end = START.plus(runFor);
    boolean injected = fault == null;
    boolean online = true;
    changes.addAll(engine.onConnectivity(profile, LinkChange.CONNECTED, now));
    while (now.isBefore(end)) {
      Duration step = device.reportingInterval();
      now = now.plus(step);
      if (!injected && !now.isBefore(START.plus(faultStart))) {
        device.inject(fault, START.plus(faultStart), Optional.empty());
        injected = true;
      }
      Reading reading = device.tick(now, step);
      if (reading.metrics().isEmpty()) {
        if (online) {
          // A device that cannot report has lost its link: the connection drops.
          changes.addAll(engine.onConnectivity(profile, LinkChange.DROPPED, now));
          online = false;
        }
      } else {
        if (!online) {
          changes.addAll(engine.onConnectivity(profile, LinkChange.CONNECTED, now));
          online = true;
        }
        changes.addAll(engine.onTelemetry(profile, telemetry(id, reading)));
        for (DeviceEventRecord e : reading.events()) {
          changes.addAll(
              engine.onEvent(profile, new DeviceEvent(id, e.ts(), e.type(), e.code(), "", null)));
        }
      }
      changes.addAll(engine.tick(now));
    }
    return changes.stream().filter(c -> c.type() == AlarmChangeType.RAISED).toList();
  }

  private static Telemetry telemetry(String id, Reading reading) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    reading
        .metrics()
        .forEach(
            (name, value) ->
                metrics.put(
                    name,
                    value instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) value).doubleValue()));
    return new Telemetry(id, reading.ts(), true, metrics);
  }
}
