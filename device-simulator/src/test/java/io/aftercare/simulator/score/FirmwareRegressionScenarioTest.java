package io.aftercare.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.simulator.testing.SimulatorPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled scenario firmware-regression, as its header says to run it: the platform with the
 * scenario's settings and compressed overheating rule, {@code run} for 45 s, then {@code score}.
 * The version that overheats twice as often is flagged with a fleet alarm; the one that overheats
 * as often as its predecessor is not. Its time is the platform's start, bringing 300 hubs up
 * (provisioning and connecting: about 20 s when the runner starts devices in parallel, over a
 * minute one after the other on the busy 2-core development machine), the 45 s run and the score.
 */
class FirmwareRegressionScenarioTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theDoubledVersionIsFlaggedAndTheSameRateIsNot(@TempDir Path dir) throws Exception {
    Path rules = Files.createDirectory(dir.resolve("rules"));
    try (InputStream in = resource("/firmware-trial/overheating.yaml")) {
      Files.copy(in, rules.resolve("overheating.yaml"));
    }
    Map<String, String> settings = platformSettings();
    settings.put("diagnostics.rulesDir", rules.toString());
    Path truth = dir.resolve("truth.jsonl");
    Path report = dir.resolve("score.json");

    try (SimulatorPlatform platform = SimulatorPlatform.start(settings)) {
      int ran =
          platform.runSimulator(
              "run",
              "--mqtt",
              platform.mqttUri(),
              "--scenario",
              "classpath:firmware-regression",
              "--duration",
              "45s",
              "--ground-truth",
              truth.toString(),
              "--credentials",
              dir.resolve("credentials.json").toString());
      assertThat(ran).isZero();

      // The guard's next round (every 5 s) raises the fleet alarm.
      ApiClient api = new ApiClient(platform.apiUrl(), SimulatorPlatform.ADMIN_TOKEN);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  api.get("/api/v1/fleet/firmware?model=HB-200&rule=overheating")
                          .body()
                          .get("regressionAlarms")
                          .size()
                      > 0);
      int scored =
          platform.runSimulator(
              "score", "--ground-truth", truth.toString(), "--report", report.toString());
      assertThat(scored).isZero();
    }

    JsonNode firmware = JSON.readTree(report.toFile()).get("firmware");
    assertThat(firmware.get("model").asText()).isEqualTo("HB-200");
    Map<String, JsonNode> versions = new HashMap<>();
    firmware.get("versions").forEach(v -> versions.put(v.get("firmware").asText(), v));

    JsonNode same = versions.get("3.2.0");
    assertThat(same.get("regressed").asBoolean()).isFalse();
    assertThat(same.get("verdict").asText()).isEqualTo("same");
    assertThat(same.get("fleetAlarm").asBoolean()).isFalse();
    assertThat(same.get("outcome").asText()).isEqualTo("correct_pass");
    // Enough alarms for the test's power (the scenario's header): the episodes did raise them.
    assertThat(same.get("alarms").asLong()).isGreaterThan(50);

    JsonNode doubled = versions.get("3.3.0");
    assertThat(doubled.get("regressed").asBoolean()).isTrue();
    assertThat(doubled.get("verdict").asText()).isEqualTo("worse");
    assertThat(doubled.get("fleetAlarm").asBoolean()).isTrue();
    assertThat(doubled.get("outcome").asText()).isEqualTo("true_flag");
    assertThat(doubled.get("rateRatio").asDouble()).isGreaterThan(1.3);

    assertThat(firmware.get("trueFlags").asInt()).isEqualTo(1);
    assertThat(firmware.get("falseFlags").asInt()).isZero();
    assertThat(firmware.get("missed").asInt()).isZero();
  }

  /** The scenario's platform.yaml as the dotted keys TestPlatform takes. */
  private static Map<String, String> platformSettings() throws IOException {
    Map<String, String> settings = new HashMap<>();
    try (InputStream in = resource("/firmware-trial/platform.yaml")) {
      flatten("", YAML.readTree(in), settings);
    }
    return settings;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
    if (!node.isObject()) {
      into.put(prefix, node.asText());
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      flatten(
          prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(),
          field.getValue(),
          into);
    }
  }

  private static InputStream resource(String name) {
    return FirmwareRegressionScenarioTest.class.getResourceAsStream(name);
  }
}
