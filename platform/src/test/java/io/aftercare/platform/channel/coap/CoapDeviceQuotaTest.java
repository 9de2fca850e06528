package io.aftercare.platform.channel.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.TestPlatform;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A CoAP device over its own allowance gets 4.29 with Max-Age; other devices are served. */
class CoapDeviceQuotaTest {

  private static final String DOCUMENT = "{\"metrics\":{\"power_w\":10}}";

  private TestPlatform platform;

  @BeforeEach
  void start() {
    platform =
        TestPlatform.start(
            Map.of(
                "ingest.deviceQuota.messagesPerSecond", "1",
                "ingest.deviceQuota.burst", "1s"));
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  @Test
  void deviceOverItsMessageRateGetsTooManyRequestsWithMaxAge() throws Exception {
    String flooder = "/devices/c-flood/telemetry?token=" + provision("c-flood");
    String calm = "/devices/c-calm/telemetry?token=" + provision("c-calm");
    try (CoapDevice device = CoapDevice.plain(platform.coapUri())) {
      CoapResponse first = device.postJson(flooder, DOCUMENT);
      CoapResponse second = device.postJson(flooder, DOCUMENT);
      CoapResponse other = device.postJson(calm, DOCUMENT);

      assertThat(first.getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(second.getCode()).isEqualTo(ResponseCode.TOO_MANY_REQUESTS);
      assertThat(second.getOptions().getMaxAge()).isEqualTo(1);
      assertThat(second.getResponseText()).contains("message rate too high");
      assertThat(other.getCode()).isEqualTo(ResponseCode.CHANGED);
    }
    assertThat(
            platform.count(
                "SELECT count(*) FROM telemetry_documents WHERE device_id = ?", "c-flood"))
        .isEqualTo(1);
  }

  @Test
  void requestsWithAWrongTokenDoNotSpendTheDevicesAllowance() throws Exception {
    String token = provision("c-victim");
    try (CoapDevice device = CoapDevice.plain(platform.coapUri())) {
      for (int i = 0; i < 3; i++) {
        CoapResponse forged =
            device.postJson("/devices/c-victim/telemetry?token=not-" + token, DOCUMENT);
        assertThat(forged.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
      }
      CoapResponse genuine =
          device.postJson("/devices/c-victim/telemetry?token=" + token, DOCUMENT);
      assertThat(genuine.getCode()).isEqualTo(ResponseCode.CHANGED);
    }
  }

  private String provision(String deviceId) {
    return platform.api().provisionDevice(deviceId, "plug");
  }
}
