package io.aftercare.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.QuickOfflineRules;
import io.aftercare.simulator.platform.PlatformApi;
import io.aftercare.simulator.scenario.FleetPlan;
import io.aftercare.simulator.scenario.FleetPlan.PlannedOutage;
import io.aftercare.simulator.scenario.FleetPlanner;
import io.aftercare.simulator.scenario.ScenarioLoader;
import io.aftercare.simulator.score.GroundTruth;
import io.aftercare.simulator.testing.QuickOutages;
import io.aftercare.simulator.testing.SimulatorPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled scenario home-outage against the platform, its clocks shortened (reports every
 * second, a 12 s outage 4 s in, device_offline after 2 s): one home loses power, the platform
 * raises one home alarm explaining its devices' absence alarms, opens no ticket, and clears the
 * home alarm when the home is back; {@code score} reports the home outage found with a home
 * precision of 1.
 */
class HomeOutageScenarioTest {

  @Test
  void aHomePowerOutageRaisesOneHomeAlarmAndNoTicketAndScoresFullHomePrecision(@TempDir Path dir)
      throws Exception {
    FleetPlan plan =
        FleetPlanner.plan(
            QuickOutages.of(ScenarioLoader.load("classpath:home-outage"), "1s", "4s", "12s"));
    PlannedOutage outage = plan.outages().get(0);
    List<String> silenced = outage.deviceIds();
    Path groundTruth = dir.resolve("truth.jsonl");
    try (SimulatorPlatform platform = SimulatorPlatform.start(QuickOfflineRules.settings())) {
      ApiClient api = new ApiClient(platform.apiUrl(), SimulatorPlatform.ADMIN_TOKEN);
      try (FleetRunner runner = platform.startMqttFleet(plan, dir, groundTruth)) {
        assertThat(runner.size()).isEqualTo(plan.devices().size());
        PlatformApi platformApi = new PlatformApi(platform.apiUrl(), SimulatorPlatform.ADMIN_TOKEN);
        // The home's devices' absence alarms, all explained by one home alarm...
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> explained(homeAlarms(api)).containsAll(silenced));
        assertThat(homeAlarms(api)).hasSize(1);
        assertThat(homeAlarms(api).get(0).get("status").asText()).isEqualTo("active");
        assertThat(homeAlarms(api).get(0).get("kind").asText()).isEqualTo("outage");
        assertThat(explained(homeAlarms(api))).containsExactlyInAnyOrderElementsOf(silenced);
        // They had been heard from before the power went: a home that lost power, not one that
        // never came up.
        Instant powerCut = GroundTruth.read(groundTruth).homes().outages().get(0).startAt();
        for (String device : silenced) {
          assertThat(platformApi.pointTimes(device, "wifi_rssi_dbm", Instant.EPOCH, powerCut))
              .as(device)
              .isNotEmpty();
        }
        // ...which clears when power is back and the devices report again.
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> homeAlarms(api).get(0).get("status").asText().equals("cleared"));

        // Scored while the fleet still runs (up to now): stopped, every device would go silent.
        for (String device : silenced) {
          for (JsonNode alarm :
              api.get("/api/v1/alarms?deviceId=" + device + "&ruleId=device_offline")
                  .body()
                  .get("alarms")) {
            assertThat(alarm.get("ticketRequested").asBoolean()).as(device).isFalse();
          }
        }
        for (var device : plan.devices()) {
          assertThat(api.get("/api/v1/tickets?deviceId=" + device.id()).body().get("tickets"))
              .as(device.id())
              .isEmpty();
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
        JsonNode homes = score.get("rootCause").get("homes");
        assertThat(homes.get("outages").asInt()).isEqualTo(1);
        assertThat(homes.get("found").asInt()).isEqualTo(1);
        assertThat(homes.get("homeAlarms").asInt()).isEqualTo(1);
        assertThat(homes.get("falseHomeAlarms").asInt()).isZero();
        assertThat(homes.get("falseTickets").asInt()).isZero();
        assertThat(homes.get("precision").asDouble()).isEqualTo(1.0);
        JsonNode found = homes.get("outageDetails").get(0);
        assertThat(found.get("home").asText()).isEqualTo(outage.homeIds().get(0));
        assertThat(found.get("devicesExplained").asInt()).isEqualTo(silenced.size());
        assertThat(score.get("tickets").get("total").asInt()).isZero();
        assertThat(score.get("falseAlarms").asInt()).isZero();
        assertThat(score.get("explainedAlarms").asInt()).isEqualTo(silenced.size());
      }
    }
  }

  private static List<JsonNode> homeAlarms(ApiClient api) {
    List<JsonNode> homeAlarms = new ArrayList<>();
    api.get("/api/v1/home-alarms").body().get("homeAlarms").forEach(homeAlarms::add);
    return homeAlarms;
  }

  private static List<String> explained(List<JsonNode> homeAlarms) {
    List<String> devices = new ArrayList<>();
    for (JsonNode homeAlarm : homeAlarms) {
      homeAlarm.get("explains").forEach(e -> devices.add(e.get("deviceId").asText()));
    }
    return devices;
  }
}
