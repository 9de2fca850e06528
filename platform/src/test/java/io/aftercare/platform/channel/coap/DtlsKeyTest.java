package io.aftercare.platform.channel.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CoAP over DTLS with the devices' DTLS keys: ECDHE-PSK negotiated when the device can, the token
 * never accepted as the PSK of a device that has a DTLS key, and devices from before DTLS keys
 * moving over at their token's rotation.
 */
class DtlsKeyTest {

  private static final String ONE = "{\"metrics\":{\"t\":1}}";

  private static TestPlatform platform;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of());
    api = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void anEcdhePskSuiteIsNegotiatedEvenWhenTheDeviceListsPlainPskFirst() throws Exception {
    String key = api.provisionDeviceCredentials("dk-ecdhe", "hub").dtlsKey();
    List<CipherSuite> plainFirst =
        List.of(
            CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
            CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256);

    try (CoapDevice device = CoapDevice.dtls(platform.coapsUri(), "dk-ecdhe", key, plainFirst)) {
      CoapResponse response = device.postJson("/devices/dk-ecdhe/telemetry", ONE);

      assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(cipher(response)).isEqualTo("TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256");
    }
    // Recorded online over DTLS, as the device's connectivity shows it.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM devices"
                            + " WHERE id = 'dk-ecdhe' AND online AND protocol = 'coaps'")
                    == 1);
  }

  @Test
  void everyEcdhePskSuiteTheJvmSupportsIsOffered() throws Exception {
    String key = api.provisionDeviceCredentials("dk-suites", "hub").dtlsKey();
    for (CipherSuite suite :
        List.of(
            CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256,
            CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256)) {
      try (CoapDevice device =
          CoapDevice.dtls(platform.coapsUri(), "dk-suites", key, List.of(suite))) {
        CoapResponse response = device.postJson("/devices/dk-suites/telemetry", ONE);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(cipher(response)).isEqualTo(suite.name());
      }
    }
  }

  @Test
  void aConstrainedDeviceMayStillUsePlainPskByDefault() throws Exception {
    String key = api.provisionDeviceCredentials("dk-plain", "hub").dtlsKey();

    try (CoapDevice device =
        CoapDevice.dtls(
            platform.coapsUri(),
            "dk-plain",
            key,
            List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8))) {
      CoapResponse response = device.postJson("/devices/dk-plain/telemetry", ONE);

      assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(cipher(response)).isEqualTo("TLS_PSK_WITH_AES_128_CCM_8");
    }
  }

  @Test
  void theTokenIsNotTheDtlsKeyOfANewDevice() throws Exception {
    ApiClient.DeviceCredentials credentials = api.provisionDeviceCredentials("dk-new", "hub");

    assertThat(credentials.dtlsKey()).isNotEqualTo(credentials.token());
    try (CoapDevice device =
        CoapDevice.dtlsExpectingRefusal(platform.coapsUri(), "dk-new", credentials.token())) {
      device.assertKeyRefused("/devices/dk-new/telemetry", ONE);
    }
    assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = 'dk-new'"))
        .isZero();
  }

  @Test
  void aDeviceFromBeforeDtlsKeysUsesItsTokenUntilTheTokenIsRotated() throws Exception {
    ApiClient.DeviceCredentials old = api.provisionDeviceCredentials("dk-legacy", "hub");
    // As migration V88 leaves a device provisioned before it.
    platform.execute("UPDATE devices SET dtls_key = false WHERE id = 'dk-legacy'");

    try (CoapDevice device = CoapDevice.dtls(platform.coapsUri(), "dk-legacy", old.token())) {
      assertThat(device.postJson("/devices/dk-legacy/telemetry", ONE).getCode())
          .isEqualTo(ResponseCode.CHANGED);
    }

    JsonNode rotated = api.post("/api/v1/devices/dk-legacy/token", Map.of()).body();
    String newToken = rotated.get("token").asText();
    String newKey = rotated.get("dtlsKey").asText();

    for (String refused : List.of(old.token(), newToken)) {
      try (CoapDevice device =
          CoapDevice.dtlsExpectingRefusal(platform.coapsUri(), "dk-legacy", refused)) {
        device.assertKeyRefused("/devices/dk-legacy/telemetry", ONE);
      }
    }
    try (CoapDevice device = CoapDevice.dtls(platform.coapsUri(), "dk-legacy", newKey)) {
      assertThat(device.postJson("/devices/dk-legacy/telemetry", ONE).getCode())
          .isEqualTo(ResponseCode.CHANGED);
    }
  }

  private static String cipher(CoapResponse response) {
    return ((DtlsEndpointContext) response.advanced().getSourceContext()).getCipher();
  }
}
