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
 * A home alarm lives in the database: after the platform restarts during the outage, the devices'
 * alarms stay linked to it and it clears when they come back.
 */
class HomeOutageRestartTest {

  @Test
  void aHomeAlarmRaisedBeforeARestartClearsWhenTheHomeComesBackAfterIt() throws Exception {
    try (TestPlatform platform = TestPlatform.start(QuickOfflineRules.settings())) {
      List<String> home = List.of("hr-plug", "hr-heater");
      Map<String, String> tokens = new HashMap<>();
      for (String id : home) {
        tokens.put(
            id,
            platform
                .api()
                .provisionDevice(Map.of("id", id, "type", "smart_plug", "homeId", "restart-home"))
                .token());
        MqttClient device = HeardDevices.connectAndReport(platform, id, tokens.get(id));
        // Stored before the connection drops: the device was heard from, and Paho's receiver is
        // done with the acknowledgement (dropping the connection under it fails inside Paho).
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    platform.count(
                            "SELECT count(*) FROM telemetry_documents WHERE device_id = ?", id)
                        > 0);
        HeardDevices.loseConnection(device);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  activeHomeAlarms(platform).size() == 1
                      && activeHomeAlarms(platform).get(0).get("explains").size() == home.size());

      platform.restart();
      assertThat(activeHomeAlarms(platform)).hasSize(1);

      for (String id : home) {
        HeardDevices.connectAndReport(platform, id, tokens.get(id));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> activeHomeAlarms(platform).isEmpty());
      JsonNode cleared = platform.api().get("/api/v1/home-alarms").body().get("homeAlarms");
      assertThat(cleared).hasSize(1);
      assertThat(cleared.get(0).get("status").asText()).isEqualTo("cleared");
      assertThat(platform.count("SELECT count(*) FROM ticket_requests")).isZero();
    }
  }

  private static JsonNode activeHomeAlarms(TestPlatform platform) {
    return platform.api().get("/api/v1/home-alarms?status=active").body().get("homeAlarms");
  }
}
