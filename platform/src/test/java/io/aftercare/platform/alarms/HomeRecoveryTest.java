package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.HeardDevices;
import io.aftercare.platform.testing.QuickOfflineRules;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * A home that comes back while one of its devices stays down: the home alarm clears once the rest
 * have been back for the window, and the device still down is released to its own ticket.
 */
class HomeRecoveryTest {

  @Test
  void aDeviceStillDownAfterItsHomeCameBackGetsItsOwnTicket() throws Exception {
    try (TestPlatform platform =
        TestPlatform.start(QuickOfflineRules.settings("diagnostics.homeOutage.window", "3s"))) {
      List<String> home = List.of("hv-plug", "hv-lamp", "hv-broken");
      Map<String, String> tokens = new HashMap<>();
      Map<String, MqttClient> devices = new HashMap<>();
      for (String id : home) {
        tokens.put(
            id,
            platform
                .api()
                .provisionDevice(Map.of("id", id, "type", "smart_plug", "homeId", "recovery-home"))
                .token());
        devices.put(id, HeardDevices.connectAndReport(platform, id, tokens.get(id)));
      }
      for (MqttClient device : devices.values()) {
        HeardDevices.loseConnection(device);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  platform.count("SELECT count(*) FROM alarms WHERE home_alarm_id IS NOT NULL")
                      == home.size());
      assertThat(platform.count("SELECT count(*) FROM ticket_requests")).isZero();

      // Power is back, but one device does not come back with the others.
      HeardDevices.connectAndReport(platform, "hv-plug", tokens.get("hv-plug"));
      HeardDevices.connectAndReport(platform, "hv-lamp", tokens.get("hv-lamp"));

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  platform
                      .api()
                      .get("/api/v1/home-alarms?status=active")
                      .body()
                      .get("homeAlarms")
                      .isEmpty());
      JsonNode broken = offlineAlarm(platform, "hv-broken");
      assertThat(broken.get("status").asText()).isEqualTo("active");
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> offlineAlarm(platform, "hv-broken").get("ticketRequested").asBoolean());
      assertThat(
              platform.count("SELECT count(*) FROM ticket_requests WHERE device_id = 'hv-broken'"))
          .isEqualTo(1);
      assertThat(
              platform.count(
                  "SELECT count(*) FROM ticket_requests WHERE device_id IN ('hv-plug', 'hv-lamp')"))
          .isZero();
      // The home alarm keeps the two it explained; the released one is no longer among them.
      JsonNode homeAlarm =
          platform.api().get("/api/v1/home-alarms").body().get("homeAlarms").get(0);
      assertThat(homeAlarm.get("status").asText()).isEqualTo("cleared");
      assertThat(homeAlarm.get("explains")).hasSize(2);
    }
  }

  private static JsonNode offlineAlarm(TestPlatform platform, String deviceId) {
    for (JsonNode alarm :
        platform.api().get("/api/v1/alarms?deviceId=" + deviceId).body().get("alarms")) {
      if (alarm.get("ruleId").asText().equals("device_offline")) {
        return alarm;
      }
    }
    throw new AssertionError("no device_offline alarm of " + deviceId);
  }
}
