package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * connection_flapping counts connections that broke, not devices that wake, report and say goodbye,
 * with real MQTT clients.
 */
class ConnectionFlappingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void cleanUploadsAreNotFlappingWhileDroppedConnectionsAre() throws Exception {
    String cleanToken = admin.provisionDevice("lock-wakes", "door_lock");
    // A battery lock waking ten times to report, as mosquitto_pub would: connect, publish,
    // DISCONNECT.
    for (int upload = 0; upload < 10; upload++) {
      MqttClient lock = PahoDevices.v3(platform.mqttUri(), "lock-wakes", cleanToken);
      byte[] document =
          JSON.writeValueAsBytes(
              JSON.createObjectNode()
                  .set("metrics", JSON.createObjectNode().put("battery_pct", 80)));
      lock.publish("devices/lock-wakes/telemetry", document, 1, false);
      lock.disconnect();
      lock.close();
      awaitDisconnections("lock-wakes", upload + 1);
    }

    String droppingToken = admin.provisionDevice("plug-drops", "smart_plug");
    // Three connections that end without DISCONNECT, as when the Wi-Fi goes.
    for (int drop = 0; drop < 3; drop++) {
      MqttClient plug = PahoDevices.v3(platform.mqttUri(), "plug-drops", droppingToken);
      plug.disconnectForcibly(0, 1000, false);
      plug.close();
      awaitDisconnections("plug-drops", drop + 1);
    }

    // The runner takes connectivity changes in the order they were stored: once the dropping
    // plug's alarm is there, every clean upload of the lock has been judged too.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> ruleIds("plug-drops").contains("connection_flapping"));
    assertThat(ruleIds("lock-wakes")).doesNotContain("connection_flapping");
    assertThat(
            platform.count(
                "SELECT count(*) FROM device_connectivity WHERE device_id = 'plug-drops'"
                    + " AND reason = 'connection_lost'"))
        .isEqualTo(3);
  }

  @Test
  void aConnectionTakenOverByTheSameDeviceCountsAsDropped() throws Exception {
    String token = admin.provisionDevice("hub-twice", "hub");
    MqttClient current = PahoDevices.v3(platform.mqttUri(), "hub-twice", token);
    for (int takeover = 0; takeover < 3; takeover++) {
      MqttClient newer = PahoDevices.v3(platform.mqttUri(), "hub-twice", token);
      // The platform closes the older connection of the device.
      MqttClient older = current;
      await().atMost(Duration.ofSeconds(10)).until(() -> !older.isConnected());
      older.close();
      current = newer;
      awaitDisconnections("hub-twice", takeover + 1);
    }

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> ruleIds("hub-twice").contains("connection_flapping"));
    assertThat(admin.get("/api/v1/devices/hub-twice").body().get("online").asBoolean()).isTrue();
    current.disconnect();
  }

  /** Waits until the device's {@code count}-th disconnection is recorded. */
  private static void awaitDisconnections(String deviceId, long count) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM device_connectivity WHERE device_id = ? AND NOT online",
                        deviceId)
                    == count);
  }

  private static java.util.List<String> ruleIds(String deviceId) {
    JsonNode alarms = admin.get("/api/v1/alarms?deviceId=" + deviceId).body().get("alarms");
    return alarms.findValuesAsText("ruleId");
  }
}
