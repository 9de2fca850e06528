package io.aftercare.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.RuleKind;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.score.FaultDetectionMap.Detection;
import org.junit.jupiter.api.Test;

/** The fault-detection map names real rules of the default pack, on types they apply to. */
class ScoreDetectionMapTest {

  private final FaultDetectionMap map = FaultDetectionMap.defaults();

  @Test
  void everyRuleTheMapNamesIsInTheDefaultPack() throws Exception {
    RuleSet pack = new RuleLoader(new ConditionCompiler()).loadDefaults();

    assertThat(map.ruleNames())
        .isNotEmpty()
        .allSatisfy(name -> assertThat(pack.rule(name)).as(name).isPresent());
  }

  @Test
  void aDetectionTheMapPromisesHasARuleForThatDeviceType() throws Exception {
    RuleSet pack = new RuleLoader(new ConditionCompiler()).loadDefaults();

    for (FaultKind fault : FaultKind.values()) {
      for (DeviceType type : DeviceType.values()) {
        Detection detection = map.detection(fault, type.id());
        if (SimulatedDevice.supports(type, fault) && detection.possible()) {
          assertThat(detection.rules())
              .as("%s on a %s", fault.id(), type.id())
              .anySatisfy(
                  rule ->
                      assertThat(pack.rule(rule).map(r -> r.appliesToType(type.id())))
                          .contains(true));
        }
      }
    }
  }

  @Test
  void theForecastsTheMapNamesAreForecastRulesAmongItsDetectingRules() throws Exception {
    RuleSet pack = new RuleLoader(new ConditionCompiler()).loadDefaults();

    for (FaultKind fault : FaultKind.values()) {
      for (DeviceType type : DeviceType.values()) {
        Detection detection = map.detection(fault, type.id());
        assertThat(detection.rules()).containsAll(detection.forecasts());
        assertThat(detection.forecasts())
            .allSatisfy(
                rule ->
                    assertThat(pack.rule(rule).orElseThrow().kind()).isEqualTo(RuleKind.FORECAST));
      }
    }
    assertThat(map.detection(FaultKind.BATTERY_DRAIN, "door_lock").forecasts())
        .containsExactly("battery_drain_forecast");
  }

  @Test
  void faultsWithoutAnyDefaultRuleAreTheKnownGaps() {
    assertThat(map.detection(FaultKind.STUCK_SENSOR, "door_lock").possible()).isFalse();
    for (DeviceType type : DeviceType.values()) {
      if (type != DeviceType.DOOR_LOCK) {
        assertThat(map.detection(FaultKind.STUCK_SENSOR, type.id()).possible())
            .as("stuck_sensor on a %s", type.id())
            .isTrue();
      }
      assertThat(map.detection(FaultKind.OVERHEATING, type.id()).possible())
          .as("overheating on a %s", type.id())
          .isTrue();
      if (SimulatedDevice.supports(type, FaultKind.ABNORMAL_POWER)) {
        assertThat(map.detection(FaultKind.ABNORMAL_POWER, type.id()).possible())
            .as("abnormal_power on a %s", type.id())
            .isTrue();
      }
    }
    assertThat(map.detection(FaultKind.OFFLINE, "door_lock").rules())
        .containsExactly("device_offline");
  }
}
