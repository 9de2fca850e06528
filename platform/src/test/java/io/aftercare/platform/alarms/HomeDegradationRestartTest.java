package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.HeardDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * A degradation alarm held for its home lives in the database: the start-up sweep does not decide
 * it, and after a restart the rest of the home degrading still explains it, with no remedy sent.
 */
class HomeDegradationRestartTest {

  @Test
  void anAlarmHeldBeforeARestartIsExplainedByItsHomeDegradingAfterIt() throws Exception {
    Path rulesDir = Files.createTempDirectory("aftercare-quick-wifi");
    Files.writeString(
        rulesDir.resolve("wifi.yaml"),
        """
        rules:
          - id: wifi_weak
            description: Wi-Fi signal weak
            kind: threshold
            metric: wifi_rssi_dbm
            levels:
              - {severity: minor, when: "value < -75"}
            clear: "value > -70"
            category: installation_environment
            remedies:
              - {command: reset_network}
            open_ticket: true
        """);
    try (TestPlatform platform =
        TestPlatform.start(
            Map.of(
                "diagnostics.rulesDir", rulesDir.toString(),
                "diagnostics.tickInterval", "200ms",
                // Long enough to outlast the restart: the first alarm must still be held after it.
                "diagnostics.homeOutage.window", "60s"))) {
      List<String> home = List.of("hh-1", "hh-2", "hh-3");
      Map<String, String> tokens = new HashMap<>();
      for (String id : home) {
        tokens.put(
            id,
            platform
                .api()
                .provisionDevice(Map.of("id", id, "type", "smart_plug", "homeId", "home-hh"))
                .token());
      }
      report(HeardDevices.connectAndReport(platform, "hh-1", tokens.get("hh-1")), "hh-1");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  platform.count(
                          "SELECT count(*) FROM alarms WHERE device_id = 'hh-1'"
                              + " AND home_hold_until IS NOT NULL")
                      == 1);

      platform.restart();

      for (String id : List.of("hh-2", "hh-3")) {
        report(HeardDevices.connectAndReport(platform, id, tokens.get(id)), id);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                JsonNode active =
                    platform
                        .api()
                        .get("/api/v1/home-alarms?status=active")
                        .body()
                        .get("homeAlarms");
                return active.size() == 1 && active.get(0).get("explains").size() == 3;
              });
      assertThat(platform.count("SELECT count(*) FROM commands WHERE device_id LIKE 'hh-%'"))
          .isZero();
      assertThat(platform.count("SELECT count(*) FROM ticket_requests")).isZero();
      assertThat(
              platform.count(
                  "SELECT count(*) FROM alarms WHERE device_id LIKE 'hh-%'"
                      + " AND remediation_state = 'none' AND home_alarm_id IS NOT NULL"))
          .isEqualTo(3);
    }
  }

  private static void report(MqttClient device, String id) throws Exception {
    device.publish(
        "devices/" + id + "/telemetry",
        "{\"metrics\":{\"wifi_rssi_dbm\":-82}}".getBytes(StandardCharsets.UTF_8),
        1,
        false);
  }
}
