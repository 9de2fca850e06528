package io.aftercare.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.simulator.scenario.FleetPlan.PlannedDevice;
import io.aftercare.simulator.scenario.FleetPlan.PlannedHome;
import io.aftercare.simulator.scenario.FleetPlan.PlannedOutage;
import io.aftercare.simulator.score.GroundTruth;
import io.aftercare.simulator.score.HomeTruth;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Homes, regions and outages of whole homes: planned from the seed, written and read back. */
class HomesPlanTest {

  private static final Instant RUN_START = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void theHomeOutageScenarioPutsEveryDeviceInAHomeAndSilencesOneHome() {
    FleetPlan plan = FleetPlanner.plan(ScenarioLoader.load("classpath:home-outage"));

    assertThat(plan.homes()).hasSize(12);
    Set<String> inHomes = new HashSet<>();
    for (PlannedHome home : plan.homes()) {
      assertThat(home.id()).matches("homes-home-\\d{3}");
      assertThat(home.customerRef()).matches("homes-customer-\\d{3}");
      assertThat(home.region()).get().isIn("north", "south");
      assertThat(home.deviceIds()).hasSizeBetween(2, 4);
      home.deviceIds().forEach(id -> assertThat(id).startsWith(home.id() + "-"));
      inHomes.addAll(home.deviceIds());
    }
    assertThat(plan.devices())
        .extracting(PlannedDevice::id)
        .containsExactlyInAnyOrderElementsOf(inHomes);
    assertThat(plan.homes()).extracting(PlannedHome::customerRef).doesNotHaveDuplicates();

    PlannedOutage outage = plan.outages().get(0);
    assertThat(plan.outages()).hasSize(1);
    assertThat(outage.kind()).isEqualTo(OutageKind.POWER_OUTAGE);
    assertThat(outage.region()).isEmpty();
    assertThat(outage.homeIds()).hasSize(1);
    PlannedHome silenced =
        plan.homes().stream()
            .filter(h -> h.id().equals(outage.homeIds().get(0)))
            .findFirst()
            .orElseThrow();
    assertThat(outage.deviceIds()).isEqualTo(silenced.deviceIds());
    assertThat(outage.startAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(outage.endsAfter()).isEqualTo(Duration.ofMinutes(22));
  }

  @Test
  void theRegionalOutageSilencesExactlyTheTwoHundredHomesOfItsRegion() {
    FleetPlan plan = FleetPlanner.plan(ScenarioLoader.load("classpath:regional-outage"));

    List<PlannedHome> riverside =
        plan.homes().stream().filter(h -> h.region().equals(Optional.of("riverside"))).toList();
    assertThat(plan.homes()).hasSize(220);
    assertThat(riverside).hasSize(200);
    assertThat(plan.homes()).allSatisfy(h -> assertThat(h.deviceIds()).hasSizeBetween(1, 2));
    PlannedOutage outage = plan.outages().get(0);
    assertThat(outage.region()).contains("riverside");
    assertThat(outage.homeIds())
        .containsExactlyInAnyOrderElementsOf(riverside.stream().map(PlannedHome::id).toList());
    assertThat(outage.deviceIds())
        .containsExactlyInAnyOrderElementsOf(
            riverside.stream().flatMap(h -> h.deviceIds().stream()).toList());
  }

  @Test
  void theSameSeedGivesTheSameHomesAndAnotherSeedOthers() {
    Scenario scenario = ScenarioLoader.load("classpath:home-outage");
    Scenario reseeded = ScenarioLoader.parse(homes(2, "count: 1"));

    assertThat(FleetPlanner.plan(scenario)).isEqualTo(FleetPlanner.plan(scenario));
    assertThat(FleetPlanner.plan(ScenarioLoader.parse(homes(1, "count: 1"))).homes())
        .isNotEqualTo(FleetPlanner.plan(reseeded).homes());
  }

  @Test
  void aScenarioWithoutHomesHasNone() {
    FleetPlan plan = FleetPlanner.plan(ScenarioLoader.load("classpath:demo"));

    assertThat(plan.homes()).isEmpty();
    assertThat(plan.outages()).isEmpty();
    assertThat(plan.homeOf(plan.devices().get(0).id())).isEmpty();
  }

  @Test
  void outagesSelectHomesByIdAndRefuseWhatDoesNotExist() {
    FleetPlan plan = FleetPlanner.plan(ScenarioLoader.parse(homes(1, "ids: [home-002]")));
    assertThat(plan.outages().get(0).homeIds()).containsExactly("t-home-002");

    assertThatThrownBy(() -> FleetPlanner.plan(ScenarioLoader.parse(homes(1, "ids: [home-099]"))))
        .hasMessageContaining("unknown home home-099");
    assertThatThrownBy(() -> FleetPlanner.plan(ScenarioLoader.parse(homes(1, "count: 9"))))
        .hasMessageContaining("wants 9 homes");
    assertThatThrownBy(() -> FleetPlanner.plan(ScenarioLoader.parse(homes(1, "region: nowhere"))))
        .hasMessageContaining("region nowhere: no homes");
    assertThatThrownBy(
            () ->
                FleetPlanner.plan(
                    ScenarioLoader.parse(
                        homes(1, "count: 1")
                            .replace("devicesPerHome: [1, 3]", "devicesPerHome: [3, 1]"))))
        .hasMessageContaining("devicesPerHome");
  }

  @Test
  void theGroundTruthKnowsEachDevicesHomeAndRegionAndTheOutages(@TempDir Path dir) {
    FleetPlan plan = FleetPlanner.plan(ScenarioLoader.load("classpath:home-outage"));
    Path file = dir.resolve("truth.jsonl");
    try (GroundTruthLog log = new GroundTruthLog(file)) {
      log.started(plan, RUN_START);
    }

    GroundTruth truth = GroundTruth.read(file);

    HomeTruth homes = truth.homes();
    assertThat(homes.hasHomes()).isTrue();
    for (PlannedHome home : plan.homes()) {
      home.deviceIds().forEach(id -> assertThat(homes.homeOfDevice()).containsEntry(id, home.id()));
      assertThat(homes.regionOfHome()).containsEntry(home.id(), home.region().orElseThrow());
    }
    PlannedOutage planned = plan.outages().get(0);
    HomeTruth.InjectedOutage outage = homes.outages().get(0);
    assertThat(outage.kind()).isEqualTo("power_outage");
    assertThat(outage.regional()).isFalse();
    assertThat(outage.homes()).isEqualTo(planned.homeIds());
    assertThat(outage.devices()).isEqualTo(planned.deviceIds());
    assertThat(outage.startAt()).isEqualTo(RUN_START.plus(Duration.ofMinutes(2)));
    assertThat(outage.endAt()).isEqualTo(RUN_START.plus(Duration.ofMinutes(22)));
  }

  /** Four homes of one to three plugs in two regions of two homes each, one outage. */
  private static String homes(long seed, String select) {
    return """
        name: t
        seed: %d
        idPrefix: t-
        homes:
          devicesPerHome: [1, 3]
          devices:
            - {type: smart_plug, protocol: mqtt3}
            - {type: thermostat, protocol: mqtt5, interval: 5s, weight: 2}
          regions:
            - {name: east, homes: 2}
            - {name: west, homes: 2}
        outages:
          - outage: power_outage
            select: {%s}
            startAfter: 10s
            lasts: 1m
        """
        .formatted(seed, select);
  }
}
