package io.aftercare.platform.channel.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;

/**
 * Stopping the gateway closes its device connections while the database is still there: each device
 * is recorded offline, the way an outage shows in its connectivity history. After a crash, the next
 * start does it.
 */
class ShutdownWithConnectedDevicesTest {

  @Test
  void devicesConnectedAtShutdownAreRecordedOfflineBeforeTheDatabaseCloses() throws Exception {
    try (TestPlatform platform = TestPlatform.start()) {
      String id = "shutdown-hub-1";
      MqttAsyncClient device = connectedHub(platform, id);

      platform.restart();

      await().atMost(Duration.ofSeconds(10)).until(() -> !device.isConnected());
      assertThat(
              platform.count(
                  "SELECT count(*) FROM device_connectivity WHERE device_id = ?"
                      + " AND reason = 'gateway_shutdown'",
                  id))
          .isEqualTo(1);
      assertThat(platform.api().get("/api/v1/devices/" + id).body().get("online").asBoolean())
          .isFalse();
      device.close(true);
    }
  }

  /** A hub provisioned, connected over MQTT 5, and shown online. */
  private static MqttAsyncClient connectedHub(TestPlatform platform, String id) throws Exception {
    String token = platform.api().provisionDevice(id, "hub");
    MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), id, token);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> platform.api().get("/api/v1/devices/" + id).body().get("online").asBoolean());
    return device;
  }

  /** A hub connected, then dropped without a DISCONNECT. */
  private static void connectAndVanish(TestPlatform platform, String id) throws Exception {
    MqttAsyncClient device = connectedHub(platform, id);
    device.disconnectForcibly(0, 0, false);
    device.close(true);
  }

  private static long endedByRestartAt(TestPlatform platform, String id, Instant at) {
    return platform.count(
        "SELECT count(*) FROM device_connectivity WHERE device_id = ? AND NOT online"
            + " AND reason = 'gateway_restart' AND ts = ?",
        id,
        Timestamp.from(at));
  }

  @Test
  void sessionsACrashLeftOpenAreRecordedOfflineAtTheNextStart() throws Exception {
    try (TestPlatform platform = TestPlatform.start()) {
      String id = "crash-hub-1";
      connectAndVanish(platform, id);

      // A crash records nothing: the device stays connected through this node in the database, as
      // it was 20 minutes ago, and the node's last heartbeat is 10 minutes old.
      Instant lastBeat = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
      platform.restart(
          () -> {
            platform.execute("DELETE FROM device_connectivity WHERE device_id = ?", id);
            platform.execute(
                "UPDATE devices SET online = true, online_changed_at = now() - interval '20m',"
                    + " last_seen_at = now() - interval '20m',"
                    + " online_node = (SELECT node_id FROM platform_nodes) WHERE id = ?",
                id);
            platform.execute(
                "UPDATE platform_nodes SET heartbeat_at = ?", Timestamp.from(lastBeat));
          });

      JsonNode shown = platform.api().get("/api/v1/devices/" + id).body();
      assertThat(shown.get("online").asBoolean()).isFalse();
      assertThat(Instant.parse(shown.get("onlineChangedAt").asText())).isEqualTo(lastBeat);
      assertThat(endedByRestartAt(platform, id, lastBeat)).isEqualTo(1);
    }
  }

  @Test
  void sessionsOpenSinceBeforeNodesHadNamesAreEndedAtThePlatformsLastHeartbeat() throws Exception {
    try (TestPlatform platform = TestPlatform.start()) {
      String id = "legacy-hub-1";
      connectAndVanish(platform, id);

      // As a single-process run before V100 left it: a session naming no node, no node rows.
      Instant lastBeat = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
      platform.restart(
          () -> {
            platform.execute("DELETE FROM device_connectivity WHERE device_id = ?", id);
            platform.execute(
                "UPDATE devices SET online = true, online_changed_at = now() - interval '20m',"
                    + " last_seen_at = now() - interval '20m', online_node = NULL WHERE id = ?",
                id);
            platform.execute("DELETE FROM platform_nodes");
            platform.execute(
                "UPDATE platform_heartbeat SET listened_at = ?", Timestamp.from(lastBeat));
          });

      assertThat(endedByRestartAt(platform, id, lastBeat)).isEqualTo(1);
      assertThat(platform.api().get("/api/v1/devices/" + id).body().get("online").asBoolean())
          .isFalse();
    }
  }
}
