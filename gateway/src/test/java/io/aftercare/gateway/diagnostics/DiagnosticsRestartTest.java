package io.aftercare.gateway.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.gateway.testing.PahoDevices;
import io.aftercare.gateway.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The platform restarts in the middle of an active fault: no duplicate alarm, still clears. */
class DiagnosticsRestartTest {

  private TestPlatform platform;

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private void publish(String id, String token, String json) throws Exception {
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    device.publish("devices/" + id + "/telemetry", json.getBytes(StandardCharsets.UTF_8), 1, false);
    device.disconnect();
  }

  private JsonNode alarms(String deviceId) {
    return platform.api().get("/api/v1/alarms?deviceId=" + deviceId).body().get("alarms");
  }

  @Test
  void restartDuringAnActiveFaultNeitherForgetsNorDuplicatesItAndItStillClears() throws Exception {
    platform = TestPlatform.start();
    String token = platform.api().provisionDevice("thermo-restart", "thermostat");
    Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
    publish("thermo-restart", token, "{\"ts\":\"" + t0 + "\",\"metrics\":{\"battery_pct\":8}}");
    await().atMost(Duration.ofSeconds(15)).until(() -> alarms("thermo-restart").size() == 1);

    platform.restart();

    // The fault goes on after the restart: the same alarm is updated, not raised again.
    publish(
        "thermo-restart",
        token,
        "{\"ts\":\"" + t0.plusSeconds(60) + "\",\"metrics\":{\"battery_pct\":4}}");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms("thermo-restart").get(0).get("count").asLong() == 2);
    JsonNode alarm = alarms("thermo-restart").get(0);
    assertThat(alarms("thermo-restart")).hasSize(1);
    assertThat(alarm.get("severity").asText()).isEqualTo("critical");
    assertThat(platform.count("SELECT count(*) FROM alarm_events WHERE type = 'raised'"))
        .isEqualTo(1);

    publish(
        "thermo-restart",
        token,
        "{\"ts\":\"" + t0.plusSeconds(120) + "\",\"metrics\":{\"battery_pct\":95}}");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms("thermo-restart").get(0).get("status").asText().equals("cleared"));
    assertThat(alarms("thermo-restart")).hasSize(1);
  }

  @Test
  void windowsAreRefilledAfterARestartSoACountingRuleStillRaises() throws Exception {
    platform = TestPlatform.start();
    String token = platform.api().provisionDevice("cam-restart", "camera");
    Instant now = Instant.now();
    MqttClient camera = PahoDevices.v3(platform.mqttUri(), "cam-restart", token);
    for (int drop = 5; drop >= 4; drop--) {
      camera.publish(
          "devices/cam-restart/events",
          ("{\"ts\":\""
                  + now.minusSeconds(60L * drop)
                  + "\",\"type\":\"wifi\",\"code\":\"W_DISCONNECTED\"}")
              .getBytes(StandardCharsets.UTF_8),
          1,
          false);
    }
    camera.disconnect();

    platform.restart();

    // Two drops before the restart, one after: three in the window raise the alarm.
    MqttClient again = PahoDevices.v3(platform.mqttUri(), "cam-restart", token);
    again.publish(
        "devices/cam-restart/events",
        ("{\"ts\":\"" + now.minusSeconds(60) + "\",\"type\":\"wifi\",\"code\":\"W_DISCONNECTED\"}")
            .getBytes(StandardCharsets.UTF_8),
        1,
        false);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms("cam-restart").findValuesAsText("ruleId").contains("wifi_flapping"));
    again.disconnect();
  }
}
