package io.aftercare.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.QuickOfflineRules;
import io.aftercare.simulator.scenario.FleetPlan;
import io.aftercare.simulator.scenario.FleetPlan.PlannedDevice;
import io.aftercare.simulator.scenario.FleetPlan.PlannedOutage;
import io.aftercare.simulator.scenario.FleetPlanner;
import io.aftercare.simulator.scenario.ScenarioLoader;
import io.aftercare.simulator.testing.QuickOutages;
import io.aftercare.simulator.testing.SimulatorPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled scenario regional-outage against the platform, its clocks shortened (reports every 5
 * s, a 10 s outage 3 s in, device_offline after 2 s): the 200 homes of one region lose power
 * together, the engine declares one incident listing their devices instead of a ticket per device,
 * and resolves it when they are back; the region left up is not in it. {@code score} reports the
 * regional outage found with an incident precision of 1.
 */
class RegionalOutageScenarioTest {

  @Test
  void aRegionalOutageOfTwoHundredHomesIsOneIncidentWithNoTicket(@TempDir Path dir)
      throws Exception {
    FleetPlan plan =
        FleetPlanner.plan(
            QuickOutages.of(ScenarioLoader.load("classpath:regional-outage"), "5s", "3s", "10s"));
    PlannedOutage outage = plan.outages().get(0);
    assertThat(outage.homeIds()).hasSize(200);
    Set<String> silenced = new HashSet<>(outage.deviceIds());
    Set<String> fleet = new HashSet<>(plan.devices().stream().map(PlannedDevice::id).toList());
    Path groundTruth = dir.resolve("truth.jsonl");
    try (SimulatorPlatform platform = SimulatorPlatform.start(QuickOfflineRules.settings())) {
      ApiClient api = new ApiClient(platform.apiUrl(), SimulatorPlatform.ADMIN_TOKEN);
      try (FleetRunner runner = platform.startMqttFleet(plan, dir, groundTruth)) {
        assertThat(runner.size()).isEqualTo(fleet.size());
        // One incident the engine declared, which every silenced device joins...
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    detectedIncidents(api).size() == 1
                        && devicesOf(detectedIncidents(api).get(0)).containsAll(silenced));
        JsonNode incident = detectedIncidents(api).get(0);
        assertThat(devicesOf(incident)).containsExactlyInAnyOrderElementsOf(silenced);
        // 200 customers: past the 100 of a significant incident, short of the 1,000 of a major one.
        assertThat(incident.get("level").asText()).isEqualTo("significant");
        assertThat(incident.get("customerRefs")).hasSize(200);
        // ...and which is resolved when power is back and they report again.
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> detectedIncidents(api).get(0).get("status").asText().equals("resolved"));

        // Scored while the fleet still runs (up to now): stopped, every device would go silent.
        for (JsonNode alarm :
            api.get("/api/v1/alarms?ruleId=device_offline&limit=1000").body().get("alarms")) {
          assertThat(alarm.get("ticketRequested").asBoolean())
              .as(alarm.get("deviceId").asText())
              .isFalse();
        }
        for (JsonNode ticket : api.get("/api/v1/tickets?limit=1000").body().get("tickets")) {
          assertThat(fleet).as("ticket %s", ticket).doesNotContain(ticket.get("deviceId").asText());
        }
        Path report = dir.resolve("score.json");
        assertThat(
                platform.runSimulator(
                    "score",
                    "--ground-truth",
                    groundTruth.toString(),
                    "--report",
                    report.toString(),
                    "--grace",
                    "10s"))
            .isZero();
        JsonNode score = new ObjectMapper().readTree(report.toFile());
        JsonNode incidents = score.get("rootCause").get("incidents");
        assertThat(incidents.get("outages").asInt()).isEqualTo(1);
        assertThat(incidents.get("found").asInt()).isEqualTo(1);
        assertThat(incidents.get("incidents").asInt()).isEqualTo(1);
        assertThat(incidents.get("falseIncidents").asInt()).isZero();
        assertThat(incidents.get("falseTickets").asInt()).isZero();
        assertThat(incidents.get("precision").asDouble()).isEqualTo(1.0);
        JsonNode found = incidents.get("outageDetails").get(0);
        assertThat(found.get("region").asText()).isEqualTo("riverside");
        assertThat(found.get("homes").asInt()).isEqualTo(200);
        assertThat(found.get("devicesListed").asInt()).isEqualTo(silenced.size());
        assertThat(score.get("rootCause").get("homes").get("falseHomeAlarms").asInt()).isZero();
        assertThat(score.get("tickets").get("total").asInt()).isZero();
        assertThat(score.get("falseAlarms").asInt()).isZero();
      }
    }
  }

  private static List<JsonNode> detectedIncidents(ApiClient api) {
    List<JsonNode> detected = new ArrayList<>();
    for (JsonNode incident : api.get("/api/v1/incidents?limit=1000").body().get("incidents")) {
      if (incident.path("origin").asText().equals("detected")) {
        detected.add(incident);
      }
    }
    return detected;
  }

  private static List<String> devicesOf(JsonNode incident) {
    List<String> devices = new ArrayList<>();
    incident.get("deviceIds").forEach(d -> devices.add(d.asText()));
    return devices;
  }
}
