package io.aftercare.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.simulator.fault.FaultKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeededScenarioTest {

  private static final Instant RUN_START = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void sameSeedGivesTheSameGroundTruthFile(@TempDir Path dir) throws Exception {
    Path first =
        writeGroundTruth(
            FleetPlanner.plan(ScenarioLoader.load("classpath:demo")), dir.resolve("a.jsonl"));
    Path second =
        writeGroundTruth(
            FleetPlanner.plan(ScenarioLoader.load("classpath:demo")), dir.resolve("b.jsonl"));

    assertThat(Files.readString(first)).isNotEmpty().isEqualTo(Files.readString(second));
    assertThat(Files.readAllLines(first))
        .filteredOn(line -> line.contains("\"record\":\"fault\""))
        .hasSize(9);
    assertThat(Files.readAllLines(first))
        .filteredOn(line -> line.contains("\"record\":\"device\""))
        .hasSize(16);
  }

  @Test
  void sameSeedGivesTheSameFleetAndFaults() {
    Scenario scenario = ScenarioLoader.load("classpath:demo");

    assertThat(FleetPlanner.plan(scenario)).isEqualTo(FleetPlanner.plan(scenario));
  }

  @Test
  void anotherSeedPicksOtherDevices() {
    Scenario scenario = ScenarioLoader.parse(fleetOfTen(1));
    Scenario reseeded = ScenarioLoader.parse(fleetOfTen(2));

    assertThat(FleetPlanner.plan(scenario).faults())
        .isNotEqualTo(FleetPlanner.plan(reseeded).faults());
  }

  @Test
  void faultsAreOnlyPlannedWhereTheyCanHappen() {
    FleetPlan plan = FleetPlanner.plan(ScenarioLoader.load("classpath:demo"));

    assertThat(plan.faults())
        .filteredOn(f -> f.fault() == FaultKind.BATTERY_DRAIN)
        .allSatisfy(f -> assertThat(f.deviceId()).startsWith("demo-thermostat-"));
    assertThat(plan.faults())
        .filteredOn(f -> f.fault() == FaultKind.OFFLINE)
        .singleElement()
        .satisfies(f -> assertThat(f.deviceId()).isEqualTo("demo-hub-002"));
  }

  @Test
  void refusesAFaultTheSelectedDeviceCannotHave() {
    String yaml =
        """
        seed: 1
        fleet: [{type: smart_plug, count: 1, protocol: mqtt3}]
        faults: [{fault: battery_drain, select: {ids: [smart-plug-001]}}]
        """;

    assertThatThrownBy(() -> FleetPlanner.plan(ScenarioLoader.parse(yaml)))
        .hasMessageContaining("cannot have battery_drain");
  }

  @Test
  void refusesARemoteCureForAnOfflineDevice() {
    String yaml =
        """
        seed: 1
        fleet: [{type: hub, count: 1, protocol: mqtt3}]
        faults: [{fault: offline, select: {count: 1}, curedBy: reboot}]
        """;

    assertThatThrownBy(() -> FleetPlanner.plan(ScenarioLoader.parse(yaml)))
        .hasMessageContaining("offline");
  }

  private static String fleetOfTen(long seed) {
    return """
        seed: %d
        fleet: [{type: thermostat, count: 10, protocol: mqtt5}]
        faults:
          - {fault: stuck_sensor, select: {count: 3}, startAfter: 10s}
          - {fault: battery_drain, select: {count: 3}, startAfter: 20s}
        """
        .formatted(seed);
  }

  private static Path writeGroundTruth(FleetPlan plan, Path file) {
    try (GroundTruthLog log = new GroundTruthLog(file)) {
      log.started(plan, RUN_START);
    }
    return file;
  }
}
