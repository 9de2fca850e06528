package io.aftercare.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.link.Protocol;
import io.aftercare.simulator.scenario.FirmwareTrialPlan.TrialDevice;
import io.aftercare.simulator.scenario.FirmwareTrialPlan.TrialVersion;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A scenario's firmware trial expanded: devices, their versions, and the truth per version. */
class FirmwareTrialPlanTest {

  @Test
  void theBundledScenarioPlansThreeVersionsOfAHundredHubsTheLastOneRegressed() {
    Scenario scenario = ScenarioLoader.load("classpath:firmware-regression");
    FirmwareTrialPlan trial = FirmwareTrialPlan.of(scenario);

    assertThat(trial.model()).isEqualTo("HB-200");
    assertThat(trial.rule()).isEqualTo("overheating");
    assertThat(trial.heatFor()).isEqualTo(Duration.ofSeconds(5));
    assertThat(trial.coolFor()).isEqualTo(Duration.ofSeconds(2));
    assertThat(trial.versions())
        .containsExactly(
            new TrialVersion("3.1.0", null, 100, 120, false),
            new TrialVersion("3.2.0", "3.1.0", 100, 120, false),
            new TrialVersion("3.3.0", "3.2.0", 100, 313, true));
    assertThat(trial.devices()).hasSize(300);
    // Alternating, so that each version's devices are provisioned and start alongside the others.
    assertThat(trial.devices().values().stream().limit(4).map(TrialDevice::firmware))
        .containsExactly("3.1.0", "3.2.0", "3.3.0", "3.1.0");
    TrialDevice first = trial.devices().values().iterator().next();
    assertThat(first.device().id()).isEqualTo("fw-hub-3-1-0-001");
    assertThat(first.device().type()).isEqualTo(DeviceType.HUB);
    assertThat(first.device().protocol()).isEqualTo(Protocol.MQTT3);
    assertThat(first.device().interval()).isEqualTo(Duration.ofSeconds(1));

    // The fleet plan runs them, with the same seeds each time.
    FleetPlan plan = FleetPlanner.plan(scenario);
    assertThat(plan.devices()).containsExactlyElementsOf(trial.plannedDevices());
    assertThat(FirmwareTrialPlan.of(scenario)).isEqualTo(trial);
  }

  @Test
  void aTrialLeavesTheRestOfTheFleetAsItWas() {
    String fleet =
        """
        seed: 5
        fleet:
          - {type: camera, count: 3, protocol: mqtt3}
        """;
    String withTrial =
        fleet
            + """
            firmwareTrial:
              model: CAM-1
              type: camera
              rule: overheating
              heatFor: 3m
              coolFor: 1m
              versions:
                - {firmware: "1.0", devices: 2, episodesPerDeviceHour: 1}
                - {firmware: "1.1", devices: 1, episodesPerDeviceHour: 1}
            """;
    List<FleetPlan.PlannedDevice> without =
        FleetPlanner.plan(ScenarioLoader.parse(fleet)).devices();
    List<FleetPlan.PlannedDevice> with =
        FleetPlanner.plan(ScenarioLoader.parse(withTrial)).devices();

    assertThat(with).hasSize(6).startsWith(without.toArray(FleetPlan.PlannedDevice[]::new));
    assertThat(FirmwareTrialPlan.of(ScenarioLoader.parse(fleet))).isSameAs(FirmwareTrialPlan.NONE);
    assertThat(FirmwareTrialPlan.of(ScenarioLoader.parse(withTrial)).versions())
        .extracting(TrialVersion::regressed)
        .containsExactly(false, false);
  }

  @Test
  void aTrialNeedsDevicesThatCanOverheatInEpisodesAndTwoDistinctVersions() {
    String plugs =
        """
        seed: 1
        firmwareTrial:
          model: P-1
          type: smart_plug
          rule: plug_overheating
          heatFor: 3m
          coolFor: 1m
          versions:
            - {firmware: "1", devices: 1, episodesPerDeviceHour: 1}
            - {firmware: "2", devices: 1, episodesPerDeviceHour: 1}
        """;
    assertThatThrownBy(() -> FirmwareTrialPlan.of(ScenarioLoader.parse(plugs)))
        .hasMessageContaining("cameras or hubs");
    String twice =
        """
        seed: 1
        firmwareTrial:
          model: H-1
          rule: overheating
          heatFor: 3m
          coolFor: 1m
          versions:
            - {firmware: "1", devices: 1, episodesPerDeviceHour: 1}
            - {firmware: "1", devices: 1, episodesPerDeviceHour: 2}
        """;
    assertThatThrownBy(() -> FirmwareTrialPlan.of(ScenarioLoader.parse(twice)))
        .hasMessageContaining("distinct");
  }
}
