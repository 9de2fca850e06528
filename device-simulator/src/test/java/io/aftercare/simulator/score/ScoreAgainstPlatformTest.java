package io.aftercare.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.simulator.link.DeviceLinks;
import io.aftercare.simulator.platform.Credentials;
import io.aftercare.simulator.platform.PlatformApi;
import io.aftercare.simulator.platform.Provisioner;
import io.aftercare.simulator.run.FleetRunner;
import io.aftercare.simulator.scenario.FleetPlanner;
import io.aftercare.simulator.scenario.GroundTruthLog;
import io.aftercare.simulator.scenario.ScenarioLoader;
import io.aftercare.simulator.testing.SimulatorPlatform;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small live run against the whole platform, then {@code score} through its command line: the
 * error burst is detected at the first report and remote-fix-first's reboot cures it.
 */
class ScoreAgainstPlatformTest {

  private static SimulatorPlatform platform;

  @BeforeAll
  static void startPlatform() {
    platform = SimulatorPlatform.start();
  }

  @AfterAll
  static void stopPlatform() {
    platform.close();
  }

  @Test
  @SuppressWarnings("try") // the fleet only has to run, and stop, around the checks
  void aRunWithAnErrorBurstScoresFullRecallAndARemoteFix(@TempDir Path dir) throws Exception {
    String yaml =
        """
        seed: 11
        idPrefix: score-
        fleet:
          - {type: hub, count: 1, protocol: mqtt3, interval: 1s}
          - {type: thermostat, count: 1, protocol: mqtt5, interval: 1s}
        faults:
          - {fault: error_burst, select: {ids: [hub-001]}, startAfter: 2s, curedBy: reboot}
        """;
    Path groundTruth = dir.resolve("truth.jsonl");
    PlatformApi api = new PlatformApi(platform.apiUrl(), SimulatorPlatform.ADMIN_TOKEN);
    DeviceLinks links =
        new DeviceLinks(
            platform.mqttUri(),
            URI.create("coap://127.0.0.1:1"),
            URI.create("coaps://127.0.0.1:1"));

    try (FleetRunner ignored =
        FleetRunner.start(
            FleetPlanner.plan(ScenarioLoader.parse(yaml)),
            new Provisioner(api, Credentials.open(dir.resolve("credentials.json"))),
            links,
            new GroundTruthLog(groundTruth),
            Clock.systemUTC())) {
      // repeated_errors raises at the first report; its remedy, a reboot, cures the burst.
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> Files.readString(groundTruth).contains("\"record\":\"cure\""));
    }

    Path report = dir.resolve("score.json");
    int exit =
        platform.runSimulator(
            "score", "--ground-truth", groundTruth.toString(), "--report", report.toString());

    assertThat(exit).isZero();
    JsonNode score = new ObjectMapper().readTree(report.toFile());
    assertThat(score.get("faults").asInt()).isEqualTo(1);
    assertThat(score.get("recall").asDouble()).isEqualTo(1.0);
    assertThat(score.path("run").path("devices").asInt()).isEqualTo(2);
    JsonNode fault = score.get("faultDetails").get(0);
    assertThat(fault.path("detected").path("rule").asText()).isEqualTo("repeated_errors");
    assertThat(fault.path("remoteFix").path("curedBy").asText()).isEqualTo("reboot");
    assertThat(score.path("remoteFix").path("cured").asInt()).isEqualTo(1);
  }
}
