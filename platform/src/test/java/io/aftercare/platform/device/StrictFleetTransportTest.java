package io.aftercare.platform.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigException;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The strictest fleet settings: every device secure_only unless it says otherwise, no DTLS suite
 * without ECDHE, and no token accepted as a DTLS PSK even from devices older than DTLS keys.
 */
class StrictFleetTransportTest {

  private static final String ONE = "{\"metrics\":{\"t\":1}}";

  private static TestPlatform platform;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    platform =
        TestPlatform.start(
            Map.of(
                "tls.deviceTransport", "secure_only",
                "tls.dtlsPlainPsk", "false",
                "tls.legacyTokenPsk", "false"));
    api = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theFleetDefaultRefusesPlainMqttUnlessTheDeviceAllowsIt() throws Exception {
    String strict = api.provisionDevice("strict-default", "hub");
    String relaxed =
        api.provisionDevice(Map.of("id", "strict-any", "type", "hub", "transport", "any")).token();

    assertThatThrownBy(() -> PahoDevices.v5(platform.mqttUri(), "strict-default", strict))
        .isInstanceOfSatisfying(
            org.eclipse.paho.mqttv5.common.MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
    PahoDevices.v3(platform.mqttUri(), "strict-any", relaxed).disconnect();
  }

  @Test
  void withoutCertificateThereIsNoMqttTlsListener() {
    assertThat(platform.platform().mqttTlsPort()).isEqualTo(-1);
  }

  @Test
  void plainPskSuitesAreRefusedAndEcdhePskServed() throws Exception {
    String key = api.provisionDeviceCredentials("strict-dtls", "hub").dtlsKey();

    try (CoapDevice plainPsk =
        CoapDevice.dtls(
            platform.coapsUri(),
            "strict-dtls",
            key,
            List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8))) {
      assertThatThrownBy(() -> plainPsk.postJson("/devices/strict-dtls/telemetry", ONE))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("HANDSHAKE_FAILURE");
    }
    try (CoapDevice ecdhe = CoapDevice.dtls(platform.coapsUri(), "strict-dtls", key)) {
      assertThat(ecdhe.postJson("/devices/strict-dtls/telemetry", ONE).getCode())
          .isEqualTo(ResponseCode.CHANGED);
    }
  }

  @Test
  void aDeviceFromBeforeDtlsKeysCannotUseItsTokenAsPsk() throws Exception {
    String token = api.provisionDevice("strict-legacy", "hub");
    platform.execute("UPDATE devices SET dtls_key = false WHERE id = 'strict-legacy'");

    try (CoapDevice device =
        CoapDevice.dtlsExpectingRefusal(platform.coapsUri(), "strict-legacy", token)) {
      device.assertKeyRefused("/devices/strict-legacy/telemetry", ONE);
    }
    assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = 'strict-legacy'"))
        .isZero();
  }

  @Test
  void anUnknownFleetDefaultStopsTheStartNamingTheKey() {
    AftercareConfig.Tls tls = new AftercareConfig.Tls("", "", false, -1, "tls_only", true, true);

    assertThatThrownBy(() -> DeviceCredentialPolicy.from(tls))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.deviceTransport");
  }
}
