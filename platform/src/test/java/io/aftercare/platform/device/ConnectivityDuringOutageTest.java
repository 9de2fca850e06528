package io.aftercare.platform.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.DatabaseOutage;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * Promise 11: a device that disconnects while the database is away does not stay online once it is
 * back; the change that failed to write is written again.
 */
class ConnectivityDuringOutageTest {

  @Test
  void aDisconnectDuringAnOutageIsRecordedWhenTheDatabaseReturns() throws Exception {
    try (TestPlatform platform = TestPlatform.start()) {
      String token = platform.api().provisionDevice("hub-outage", "hub");
      MqttClient device = PahoDevices.v3(platform.mqttUri(), "hub-outage", token);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> platform.count("SELECT count(*) FROM devices WHERE online") == 1);

      // The database goes away: no new connection is allowed, and every open one is ended.
      DatabaseOutage outage = DatabaseOutage.begin(platform.database());
      try {
        device.disconnect();
        device.close();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> platform.metric("aftercare_connectivity_unrecorded") == 1.0);
      } finally {
        outage.end();
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  platform.count("SELECT count(*) FROM devices WHERE id = 'hub-outage' AND online")
                      == 0);
      assertThat(
              platform.count(
                  "SELECT count(*) FROM device_connectivity"
                      + " WHERE device_id = 'hub-outage' AND NOT online AND reason = 'disconnected'"))
          .isEqualTo(1);
      assertThat(platform.metric("aftercare_connectivity_unrecorded")).isZero();
    }
  }
}
