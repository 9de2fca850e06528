package io.aftercare.platform.channel.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.Map;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A CoAP device is online while it reports within the online window, offline once it passes. */
class CoapPresenceTest {

  private TestPlatform platform;

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void deviceIsOnlineAfterReportingAndOfflineWhenItsReportIsOverdue() throws Exception {
    platform = TestPlatform.start(Map.of("coap.onlineWindow", "3s"));
    String token = platform.api().provisionDevice("pres-1", "plug");
    try (CoapDevice device = CoapDevice.plain(platform.coapUri())) {
      assertThat(
              device
                  .postJson(
                      "/devices/pres-1/telemetry?token=" + token, "{\"metrics\":{\"power_w\":3}}")
                  .getCode())
          .isEqualTo(ResponseCode.CHANGED);
    }

    // Read from the history, not the current state: on a slow machine the window may already
    // have passed by the time the test looks.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM device_connectivity"
                            + " WHERE device_id = 'pres-1' AND online AND protocol = 'coap'")
                    == 1);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM device_connectivity WHERE device_id = 'pres-1'"
                            + " AND NOT online AND protocol = 'coap' AND reason = 'report_overdue'")
                    == 1);
    ApiClient.Response device = platform.api().get("/api/v1/devices/pres-1");
    assertThat(device.body().get("online").asBoolean()).isFalse();
    assertThat(device.body().get("protocol").asText()).isEqualTo("coap");
    assertThat(device.body().get("lastSeenAt").isNull()).isFalse();
  }
}
