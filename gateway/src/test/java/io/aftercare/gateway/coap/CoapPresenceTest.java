package io.aftercare.gateway.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.gateway.testing.CoapDevice;
import io.aftercare.gateway.testing.TestPlatform;
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
    platform = TestPlatform.start(Map.of("coap.onlineWindow", "2s"));
    String token = platform.api().provisionDevice("pres-1", "plug");
    try (CoapDevice device = CoapDevice.plain(platform.coapUri())) {
      assertThat(
              device
                  .postJson(
                      "/devices/pres-1/telemetry?token=" + token, "{\"metrics\":{\"power_w\":3}}")
                  .getCode())
          .isEqualTo(ResponseCode.CHANGED);
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> platform.api().get("/api/v1/devices/pres-1").body().get("online").asBoolean());
    assertThat(platform.api().get("/api/v1/devices/pres-1").body().get("protocol").asText())
        .isEqualTo("coap");

    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> !platform.api().get("/api/v1/devices/pres-1").body().get("online").asBoolean());
    assertThat(
            platform.count(
                "SELECT count(*) FROM device_connectivity"
                    + " WHERE device_id = 'pres-1' AND NOT online AND reason = 'report_overdue'"))
        .isEqualTo(1);
  }
}
