package io.aftercare.platform.channel.coap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.TestPlatform;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Devices post telemetry and events over plain CoAP and DTLS-PSK with real Californium clients. */
class CoapTelemetryIngestTest {

  private static final String ONE =
      "{\"ts\":\"2026-11-23T10:00:00Z\",\"metrics\":{\"temperature_c\":21.5,\"door_open\":false}}";
  private static final String BATCH =
      "[{\"ts\":1795428060000,\"metrics\":{\"temperature_c\":21.7}},"
          + "{\"ts\":\"2026-11-23T10:02:00Z\",\"metrics\":{\"temperature_c\":21.9}}]";
  private static final String EVENT =
      "{\"ts\":\"2026-11-23T10:00:02Z\",\"type\":\"error\",\"code\":\"E_COMPRESSOR_STALL\","
          + "\"message\":\"compressor stalled\",\"data\":{\"retries\":3}}";

  private static TestPlatform platform;
  private static ApiClient api;
  private static CoapDevice plain;
  private static final AtomicInteger DEVICE_NUMBER = new AtomicInteger();

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    api = platform.api();
    plain = CoapDevice.plain(platform.coapUri());
  }

  @AfterAll
  static void stop() {
    plain.close();
    platform.close();
  }

  private static String newDeviceId() {
    return "coap-" + DEVICE_NUMBER.incrementAndGet();
  }

  private static String telemetryPath(String id, String token) {
    return "/devices/" + id + "/telemetry?token=" + token;
  }

  private static long storedPoints(String deviceId) {
    return platform.count("SELECT count(*) FROM telemetry WHERE device_id = ?", deviceId);
  }

  private static JsonNode points(String deviceId) {
    ApiClient.Response response =
        api.get("/api/v1/devices/" + deviceId + "/telemetry?from=2026-01-01T00:00:00Z");
    assertThat(response.status()).isEqualTo(200);
    return response.body().get("points");
  }

  private static JsonNode events(String deviceId) {
    ApiClient.Response response =
        api.get("/api/v1/devices/" + deviceId + "/events?from=2026-01-01T00:00:00Z");
    assertThat(response.status()).isEqualTo(200);
    return response.body().get("events");
  }

  @Test
  void plainCoapDevicePostsSingleBatchAndEventQueryableThroughApi() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "thermostat");

    assertThat(plain.postJson(telemetryPath(id, token), ONE).getCode())
        .isEqualTo(ResponseCode.CHANGED);
    assertThat(plain.postJson(telemetryPath(id, token), BATCH).getCode())
        .isEqualTo(ResponseCode.CHANGED);
    assertThat(plain.postJson("/devices/" + id + "/events?token=" + token, EVENT).getCode())
        .isEqualTo(ResponseCode.CHANGED);

    // 2.04 is sent after the commit, so the data is readable at once.
    assertThat(points(id)).hasSize(4);
    assertThat(events(id)).hasSize(1);
    assertThat(events(id).get(0).get("code").asText()).isEqualTo("E_COMPRESSOR_STALL");
    assertThat(platform.metric("aftercare_coap_uplink_stored_total")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void dtlsDevicePostsSingleBatchAndEventWithItsDtlsKeyAsPsk() throws Exception {
    String id = newDeviceId();
    String dtlsKey = api.provisionDeviceCredentials(id, "lock").dtlsKey();

    try (CoapDevice device = CoapDevice.dtls(platform.coapsUri(), id, dtlsKey)) {
      assertThat(device.postJson("/devices/" + id + "/telemetry", ONE).getCode())
          .isEqualTo(ResponseCode.CHANGED);
      assertThat(device.postJson("/devices/" + id + "/telemetry", BATCH).getCode())
          .isEqualTo(ResponseCode.CHANGED);
      assertThat(device.postJson("/devices/" + id + "/events", EVENT).getCode())
          .isEqualTo(ResponseCode.CHANGED);
    }

    assertThat(points(id)).hasSize(4);
    assertThat(events(id)).hasSize(1);
  }

  @Test
  void refusesMissingWrongAndAnotherDevicesToken() throws Exception {
    String id = newDeviceId();
    String other = newDeviceId();
    api.provisionDevice(id, "plug");
    String otherToken = api.provisionDevice(other, "plug");

    CoapResponse missing = plain.postJson("/devices/" + id + "/telemetry", ONE);
    CoapResponse wrong = plain.postJson(telemetryPath(id, "not-the-token"), ONE);
    CoapResponse othersToken = plain.postJson(telemetryPath(id, otherToken), ONE);

    assertThat(missing.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
    assertThat(missing.getResponseText()).contains("token");
    assertThat(wrong.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
    assertThat(othersToken.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
    assertThat(storedPoints(id)).isZero();
  }

  @Test
  void dtlsWithWrongKeyFailsTheHandshakeAndStoresNothing() throws Exception {
    String id = newDeviceId();
    api.provisionDevice(id, "camera");

    try (CoapDevice device = CoapDevice.dtls(platform.coapsUri(), id, "not-the-token")) {
      assertThat(answerOrNull(device, "/devices/" + id + "/telemetry")).isNull();
    }
    assertThat(storedPoints(id)).isZero();
  }

  /**
   * Californium reports a failed handshake as no response or as an exception, by timing. A short
   * client timeout: no answer is expected.
   */
  private static CoapResponse answerOrNull(CoapDevice device, String path) {
    CoapClient client = device.client(path);
    client.setTimeout(5_000L);
    try {
      return client.post(ONE, CoapDevice.JSON);
    } catch (IOException | ConnectorException e) {
      return null;
    } finally {
      client.shutdown();
    }
  }

  @Test
  void dtlsIdentityMustBeThePathsDevice() throws Exception {
    String id = newDeviceId();
    String victim = newDeviceId();
    String dtlsKey = api.provisionDeviceCredentials(id, "hub").dtlsKey();
    api.provisionDevice(victim, "hub");

    try (CoapDevice device = CoapDevice.dtls(platform.coapsUri(), id, dtlsKey)) {
      CoapResponse response = device.postJson("/devices/" + victim + "/telemetry", ONE);
      assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(response.getResponseText()).contains(victim);
    }
    assertThat(storedPoints(victim)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "invalid JSON | {\"metrics\": | JSON",
        "bad metric name | {\"metrics\":{\"Temperature\":1}} | Temperature",
        "non-finite value | {\"metrics\":{\"temperature_c\":1e999}} | temperature_c",
      })
  void invalidDocumentsGetBadRequestWithAReason(String name, String document, String reason)
      throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "fridge");

    CoapResponse response = plain.postJson(telemetryPath(id, token), document);

    assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(response.getResponseText()).contains(reason);
    assertThat(storedPoints(id)).isZero();
  }

  @Test
  void emptyAndBinaryBodiesGetBadRequestAndTheServerKeepsServing() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "fridge");
    CoapClient client = plain.client(telemetryPath(id, token));

    CoapResponse empty = client.post(new byte[0], CoapDevice.JSON);
    CoapResponse binary =
        client.post(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '{', (byte) 0xc3}, CoapDevice.JSON);
    CoapResponse valid = client.post(ONE, CoapDevice.JSON);
    client.shutdown();

    assertThat(empty.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(empty.getResponseText()).isNotBlank();
    assertThat(binary.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(valid.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(storedPoints(id)).isEqualTo(2);
  }

  @Test
  void payloadOverTheLimitGetsRequestEntityTooLargeAlsoWhenSentBlockwise() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "camera");
    StringBuilder big = new StringBuilder("{\"metrics\":{");
    for (int i = 0; big.length() < 20_000; i++) {
      big.append(i == 0 ? "" : ",").append("\"metric_").append(i).append("\":").append(i);
    }
    big.append("}}");

    // The client sends more than one message's worth with Block1; the server counts the blocks.
    CoapResponse response = plain.postJson(telemetryPath(id, token), big.toString());

    assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
    assertThat(storedPoints(id)).isZero();
  }

  @Test
  void otherContentFormatsGetUnsupportedContentFormat() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "plug");

    CoapResponse text = plain.post(telemetryPath(id, token), ONE, 0);
    CoapResponse cbor = plain.post(telemetryPath(id, token), ONE, 60);

    assertThat(text.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
    assertThat(cbor.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
    assertThat(storedPoints(id)).isZero();
    assertThat(platform.metric("aftercare_coap_uplink_refused_total{code=\"4.15\"}")).isEqualTo(2);
  }

  @Test
  void unknownPathsAreNotFound() throws Exception {
    CoapResponse response = plain.postJson("/devices/no%20such/telemetry?token=x", ONE);
    CoapResponse unknown = plain.postJson("/devices/d1/diagnose?token=x", "{}");

    assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
    assertThat(unknown.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
  }
}
