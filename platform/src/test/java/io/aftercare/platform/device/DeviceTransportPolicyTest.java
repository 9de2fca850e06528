package io.aftercare.platform.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.platform.testing.TlsClients;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-device transport policy: a {@code secure_only} device is refused on plain MQTT (CONNACK
 * not authorized) and plain CoAP (4.03) before anything is stored, and served over TLS and DTLS.
 */
class DeviceTransportPolicyTest {

  private static final String DOCUMENT = "{\"metrics\":{\"t\":1}}";

  private static TestPlatform platform;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("tls.selfSigned", "true"));
    api = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aSecureOnlyDeviceIsRefusedOnPlainMqttAndServedOverTls() throws Exception {
    String token = provisionSecureOnly("sec-mqtt").token();

    assertThatThrownBy(() -> PahoDevices.v3(platform.mqttUri(), "sec-mqtt", token))
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
    assertThatThrownBy(() -> PahoDevices.v5(platform.mqttUri(), "sec-mqtt", token))
        .isInstanceOfSatisfying(
            org.eclipse.paho.mqttv5.common.MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
    assertThat(stored("sec-mqtt")).isZero();

    MqttAsyncClient client = tlsClient("sec-mqtt", token);
    try {
      IMqttToken published =
          client.publish(
              "devices/sec-mqtt/telemetry",
              new MqttMessage(DOCUMENT.getBytes(StandardCharsets.UTF_8), 1, false, null));
      published.waitForCompletion(10_000);
      assertThat(published.getReasonCodes()).containsExactly(0);
    } finally {
      client.disconnect().waitForCompletion(10_000);
      client.close();
    }
    assertThat(stored("sec-mqtt")).isEqualTo(1);
  }

  @Test
  void aSecureOnlyDeviceGetsForbiddenOnPlainCoapAndIsServedOverDtls() throws Exception {
    ApiClient.DeviceCredentials credentials = provisionSecureOnly("sec-coap");

    try (CoapDevice plain = CoapDevice.plain(platform.coapUri())) {
      CoapResponse refused =
          plain.postJson(
              "/devices/sec-coap/telemetry?token=" + credentials.token(), "[" + DOCUMENT + "]");
      assertThat(refused.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(refused.getResponseText()).contains("secure_only");
    }
    assertThat(stored("sec-coap")).isZero();

    try (CoapDevice secure =
        CoapDevice.dtls(platform.coapsUri(), "sec-coap", credentials.dtlsKey())) {
      assertThat(secure.postJson("/devices/sec-coap/telemetry", DOCUMENT).getCode())
          .isEqualTo(ResponseCode.CHANGED);
    }
    assertThat(stored("sec-coap")).isEqualTo(1);
  }

  @Test
  void aWrongTokenIsStillUnauthorizedNotForbidden() {
    provisionSecureOnly("sec-wrong");

    assertThatThrownBy(() -> PahoDevices.v5(platform.mqttUri(), "sec-wrong", "not-the-token"))
        .isInstanceOfSatisfying(
            org.eclipse.paho.mqttv5.common.MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
  }

  @Test
  void patchingTheTransportTakesEffectAtTheNextConnect() throws Exception {
    String token = api.provisionDevice("sec-patch", "hub");
    assertThat(api.get("/api/v1/devices/sec-patch").body().path("transport").textValue()).isNull();
    PahoDevices.v3(platform.mqttUri(), "sec-patch", token).disconnect();

    ApiClient.Response secured =
        api.patch("/api/v1/devices/sec-patch", Map.of("transport", "secure_only"));
    assertThat(secured.status()).isEqualTo(200);
    assertThat(secured.body().get("transport").asText()).isEqualTo("secure_only");
    assertThatThrownBy(() -> PahoDevices.v3(platform.mqttUri(), "sec-patch", token))
        .isInstanceOf(MqttException.class);

    Map<String, Object> backToFleetDefault = new HashMap<>();
    backToFleetDefault.put("transport", null);
    assertThat(api.patch("/api/v1/devices/sec-patch", backToFleetDefault).status()).isEqualTo(200);
    MqttClient again = PahoDevices.v3(platform.mqttUri(), "sec-patch", token);
    again.disconnect();
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'device.edit'"
                    + " AND target = 'device/sec-patch'"))
        .isEqualTo(2);
  }

  @Test
  void anUnknownTransportIsRefusedNamingTheField() {
    ApiClient.Response provisioned =
        api.post(
            "/api/v1/devices", Map.of("id", "sec-bad", "type", "hub", "transport", "tls_please"));
    assertThat(provisioned.status()).isEqualTo(400);
    assertThat(provisioned.body().toString()).contains("transport");

    api.provisionDevice("sec-bad-2", "hub");
    ApiClient.Response patched = api.patch("/api/v1/devices/sec-bad-2", Map.of("transport", 1));
    assertThat(patched.status()).isEqualTo(400);
    assertThat(patched.body().toString()).contains("transport");
  }

  private static ApiClient.DeviceCredentials provisionSecureOnly(String id) {
    return api.provisionDevice(Map.of("id", id, "type", "hub", "transport", "secure_only"));
  }

  private static MqttAsyncClient tlsClient(String id, String token) throws Exception {
    MqttConnectionOptions options = PahoDevices.v5Options(id, token);
    options.setSocketFactory(TlsClients.trusting(platform.certificate()).getSocketFactory());
    MqttAsyncClient client =
        new MqttAsyncClient(
            platform.mqttsUri(),
            id,
            new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    client.connect(options).waitForCompletion(10_000);
    return client;
  }

  private static long stored(String id) {
    return platform.count("SELECT count(*) FROM telemetry WHERE device_id = ?", id);
  }
}
