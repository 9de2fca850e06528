package io.aftercare.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.gateway.testing.PahoDevices;
import io.aftercare.gateway.testing.TestPlatform;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;

/**
 * Stopping the gateway closes its device connections while the database is still there: each device
 * is recorded offline, the way an outage shows in its connectivity history.
 */
class ShutdownWithConnectedDevicesTest {

  @Test
  void devicesConnectedAtShutdownAreRecordedOfflineBeforeTheDatabaseCloses() throws Exception {
    try (TestPlatform platform = TestPlatform.start()) {
      String id = "shutdown-hub-1";
      String token = platform.api().provisionDevice(id, "hub");
      MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), id, token);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> platform.api().get("/api/v1/devices/" + id).body().get("online").asBoolean());

      platform.restart();

      await().atMost(Duration.ofSeconds(10)).until(() -> !device.isConnected());
      assertThat(
              platform.count(
                  "SELECT count(*) FROM device_connectivity WHERE device_id = ?"
                      + " AND reason = 'connection_lost'",
                  id))
          .isEqualTo(1);
      assertThat(platform.api().get("/api/v1/devices/" + id).body().get("online").asBoolean())
          .isFalse();
      device.close(true);
    }
  }
}
