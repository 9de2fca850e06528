package io.aftercare.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.scenario.FleetPlanner;
import io.aftercare.simulator.scenario.GroundTruthLog;
import io.aftercare.simulator.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GroundTruth} reads back what {@link GroundTruthLog} writes. */
class ScoreGroundTruthTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void readsRunDevicesFaultsCuresAndEnd(@TempDir Path dir) {
    Path file = dir.resolve("truth.jsonl");
    try (GroundTruthLog log = new GroundTruthLog(file)) {
      log.started(FleetPlanner.plan(ScenarioLoader.load("classpath:demo")), START);
      log.cured(
          "demo-camera-001", FaultKind.WIFI_FLAPPING, "reset_network", START.plusSeconds(200));
      log.ended(START.plusSeconds(600));
    }

    GroundTruth truth = GroundTruth.read(file);

    assertThat(truth.startedAt()).isEqualTo(START);
    assertThat(truth.endedAt()).contains(START.plusSeconds(600));
    assertThat(truth.devices()).hasSize(16).containsEntry("demo-hub-002", "hub");
    assertThat(truth.untypedDevices()).isEmpty();
    assertThat(truth.faults()).hasSize(9);
    GroundTruth.InjectedFault offline =
        truth.faults().stream().filter(f -> f.fault() == FaultKind.OFFLINE).findFirst().get();
    assertThat(offline.device()).isEqualTo("demo-hub-002");
    assertThat(offline.startAt()).isEqualTo(START.plusSeconds(120));
    assertThat(offline.curedBy()).isEmpty();
    assertThat(truth.cures())
        .containsExactly(
            new GroundTruth.Cure(
                "demo-camera-001",
                FaultKind.WIFI_FLAPPING,
                "reset_network",
                START.plusSeconds(200)));
  }

  @Test
  void aFileWithOnlyFaultLinesGivesItsStartAndLeavesTypesToTheCaller(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("old.jsonl");
    Files.writeString(
        file,
        """
        {"record":"fault","device":"d-1","fault":"offline","startOffsetS":60.0,"startAt":"2026-11-23T10:01:00Z","curedBy":null}
        """);

    GroundTruth truth = GroundTruth.read(file);

    assertThat(truth.startedAt()).isEqualTo(START);
    assertThat(truth.endedAt()).isEmpty();
    assertThat(truth.untypedDevices()).containsExactly("d-1");
    assertThat(truth.withDeviceTypes(Map.of("d-1", "hub")).devices())
        .isEqualTo(Map.of("d-1", "hub"));
    assertThat(truth.faults().get(0).curedBy()).isEqualTo(Optional.empty());
  }
}
