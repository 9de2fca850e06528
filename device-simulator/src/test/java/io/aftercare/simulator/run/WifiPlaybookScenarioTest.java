package io.aftercare.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.simulator.link.DeviceLinks;
import io.aftercare.simulator.platform.Credentials;
import io.aftercare.simulator.platform.PlatformApi;
import io.aftercare.simulator.platform.Provisioner;
import io.aftercare.simulator.scenario.FleetPlanner;
import io.aftercare.simulator.scenario.GroundTruthLog;
import io.aftercare.simulator.scenario.ScenarioLoader;
import io.aftercare.simulator.testing.SimulatorPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled scenario wifi-playbook against a platform started with its operator rules: a Wi-Fi
 * fault that only a reboot cures is fixed by the playbook's second step, with no ticket.
 */
class WifiPlaybookScenarioTest {

  private static final String CAMERA = "playbook-camera-001";

  @Test
  void aWifiFaultIsFixedByAPlaybookWithNoTicket(@TempDir Path dir) throws Exception {
    Path rules = Files.createDirectory(dir.resolve("rules"));
    // The simulated fault drops the link once every 45 s: waiting for the rule's three drops
    // would cost the test 90 s before the playbook even starts. What is checked here is the
    // playbook's run, so one drop raises the alarm.
    String rule = resource("wifi-flapping.yaml");
    String oneDrop = rule.replace("{severity: minor, count: 3}", "{severity: minor, count: 1}");
    assertThat(oneDrop).isNotEqualTo(rule);
    Files.writeString(rules.resolve("wifi-flapping.yaml"), oneDrop);
    Files.writeString(
        rules.resolve("wifi-recovery-checked.yaml"), resource("wifi-recovery-checked.yaml"));
    try (SimulatorPlatform platform =
        SimulatorPlatform.start(
            Map.of(
                "diagnostics.rulesDir", rules.toString(),
                // Long enough for a few readings at the scenario's 1 s interval.
                "diagnostics.verifyWindow", "8s",
                "diagnostics.tickInterval", "500ms"))) {
      Provisioner provisioner =
          new Provisioner(
              new PlatformApi(platform.apiUrl(), SimulatorPlatform.ADMIN_TOKEN),
              Credentials.open(dir.resolve("credentials.json")));
      DeviceLinks links =
          new DeviceLinks(
              platform.mqttUri(),
              URI.create("coap://127.0.0.1:1"),
              URI.create("coaps://127.0.0.1:1"));
      ApiClient api = new ApiClient(platform.apiUrl(), SimulatorPlatform.ADMIN_TOKEN);
      String alarms = "/api/v1/alarms?deviceId=" + CAMERA + "&ruleId=wifi_flapping";

      try (FleetRunner runner =
          FleetRunner.start(
              FleetPlanner.plan(ScenarioLoader.load("classpath:wifi-playbook")),
              provisioner,
              links,
              new GroundTruthLog(dir.resolve("truth.jsonl")),
              Clock.systemUTC())) {
        assertThat(runner.size()).isEqualTo(1);
        // One drop, then two steps each verified for 8 s.
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> {
                  JsonNode found = api.get(alarms).body().get("alarms");
                  return found.size() == 1 && found.get(0).get("status").asText().equals("cleared");
                });
      }
      JsonNode alarm = api.get(alarms).body().get("alarms").get(0);
      assertThat(alarm.get("resolution").asText()).isEqualTo("fixed_remotely");
      assertThat(steps(alarm))
          .containsExactly(
              "reset_network remedy_sent",
              "reset_network remedy_result",
              "reset_network fix_failed",
              "reboot remedy_sent",
              "reboot remedy_result",
              "reboot outcome_checked");
      assertThat(alarm.get("ticketRequested").asBoolean()).isFalse();
      assertThat(api.get("/api/v1/tickets?deviceId=" + CAMERA).body().get("tickets")).isEmpty();
    }
  }

  private static List<String> steps(JsonNode alarm) {
    List<String> steps = new ArrayList<>();
    for (JsonNode event : alarm.get("remediation").get("run")) {
      steps.add(event.get("step").asText() + " " + event.get("type").asText());
    }
    return steps;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in =
        WifiPlaybookScenarioTest.class.getResourceAsStream("/playbook-rules/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
