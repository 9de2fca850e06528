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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small live fleet on both MQTT versions (Paho) whose faults show up through the REST API. */
class FleetRunAgainstPlatformTest {

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
  void stuckSensorAndBatteryDrainAppearInTheTelemetry(@TempDir Path dir) throws Exception {
    String yaml =
        """
        seed: 7
        idPrefix: run-
        fleet:
          - {type: thermostat, count: 1, protocol: mqtt5, interval: 1s}
          - {type: door_lock, count: 1, protocol: mqtt3, interval: 1s}
        faults:
          - {fault: stuck_sensor, select: {ids: [thermostat-001]}, startAfter: 0s}
          - {fault: battery_drain, select: {ids: [door-lock-001]}, startAfter: 0s}
        """;
    Path groundTruth = dir.resolve("truth.jsonl");
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

    try (FleetRunner runner =
        FleetRunner.start(
            FleetPlanner.plan(ScenarioLoader.parse(yaml)),
            provisioner,
            links,
            new GroundTruthLog(groundTruth),
            Clock.systemUTC())) {
      assertThat(runner.size()).isEqualTo(2);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                List<Double> temperatures = values(api, "run-thermostat-001", "temperature_c");
                assertThat(temperatures).hasSizeGreaterThanOrEqualTo(4);
                Set<Double> distinct = new HashSet<>(temperatures);
                assertThat(distinct).hasSize(1);
              });
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                List<Double> battery = values(api, "run-door-lock-001", "battery_pct");
                assertThat(battery).hasSizeGreaterThanOrEqualTo(4);
                // 0.05 %/s instead of 0.00001 %/s: a drop visible within seconds
                assertThat(battery.get(0) - battery.get(battery.size() - 1)).isGreaterThan(0.1);
              });
    }
    assertThat(Files.readAllLines(groundTruth))
        .filteredOn(l -> l.contains("\"record\":\"fault\""))
        .hasSize(2)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"device\":\"run-thermostat-001\"", "\"fault\":\"stuck_sensor\""))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"device\":\"run-door-lock-001\"", "\"fault\":\"battery_drain\""));
    assertThat(Files.readString(dir.resolve("credentials.json"))).contains("run-thermostat-001");
  }

  private static List<Double> values(ApiClient api, String deviceId, String metric) {
    ApiClient.Response response =
        api.get("/api/v1/devices/" + deviceId + "/telemetry?metric=" + metric);
    assertThat(response.status()).isEqualTo(200);
    List<Double> values = new ArrayList<>();
    for (JsonNode point : response.body().get("points")) {
      values.add(point.get("value").asDouble());
    }
    return values;
  }
}
