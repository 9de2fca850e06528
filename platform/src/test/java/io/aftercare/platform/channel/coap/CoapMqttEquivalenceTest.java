package io.aftercare.platform.channel.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MQTT and CoAP are two doors into one ingest service: the same document, sent over each, is
 * accepted or refused alike, for the same reason, and stored as the same rows.
 */
class CoapMqttEquivalenceTest {

  private static TestPlatform platform;
  private static CoapDevice coap;
  private static final AtomicInteger DEVICE_NUMBER = new AtomicInteger();

  /** What a channel answered: stored, or refused with the reason it gave the device. */
  private record Outcome(boolean stored, String reason) {}

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    coap = CoapDevice.plain(platform.coapUri());
  }

  @AfterAll
  static void stop() {
    coap.close();
    platform.close();
  }

  /** The shared table of cases: name, telemetry document, whether the contract accepts it. */
  static Stream<Arguments> telemetryDocuments() {
    return Stream.of(
        Arguments.of(
            "single document",
            "{\"ts\":\"2026-11-23T10:00:00Z\",\"metrics\":{\"temperature_c\":21.5,\"door_open\":true}}",
            true),
        Arguments.of(
            "batch with epoch millis and offset",
            "[{\"ts\":1795428060000,\"metrics\":{\"t\":1}},"
                + "{\"ts\":\"2026-11-23T10:02:00+01:00\",\"metrics\":{\"t\":2,\"u\":false}}]",
            true),
        Arguments.of(
            "duplicate points in one batch",
            "[{\"ts\":1795428060000,\"metrics\":{\"t\":1}},{\"ts\":1795428060000,\"metrics\":{\"t\":1}}]",
            true),
        Arguments.of("invalid JSON", "{\"metrics\": {\"t\": 21.5", false),
        Arguments.of("non-finite value", "{\"metrics\": {\"t\": 1e999}}", false),
        Arguments.of("string value", "{\"metrics\": {\"t\": \"NaN\"}}", false),
        Arguments.of("bad metric name", "{\"metrics\": {\"Temperature-C\": 21.5}}", false),
        Arguments.of("empty metrics", "{\"metrics\": {}}", false),
        Arguments.of("unknown shape", "{\"temperature_c\": 21.5}", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("telemetryDocuments")
  void documentIsTreatedAlikeOverMqttAndCoap(String name, String document, boolean valid)
      throws Exception {
    String overMqtt = "eq-mqtt-" + DEVICE_NUMBER.incrementAndGet();
    String overCoap = "eq-coap-" + DEVICE_NUMBER.incrementAndGet();

    Outcome mqtt = sendOverMqtt(overMqtt, document);
    Outcome coapOutcome = sendOverCoap(overCoap, document);

    assertThat(mqtt.stored()).isEqualTo(valid);
    assertThat(coapOutcome).isEqualTo(mqtt);
    assertThat(rows(overCoap)).isEqualTo(rows(overMqtt));
    assertThat(rows(overCoap).isEmpty()).isEqualTo(!valid);
  }

  private static Outcome sendOverMqtt(String deviceId, String document) throws Exception {
    String token = platform.api().provisionDevice(deviceId, "thermostat");
    MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), deviceId, token);
    try {
      IMqttToken ack =
          device.publish(
              "devices/" + deviceId + "/telemetry",
              document.getBytes(StandardCharsets.UTF_8),
              1,
              false);
      ack.waitForCompletion(10_000);
      int code = ack.getReasonCodes()[0];
      return code == 0
          ? new Outcome(true, null)
          : new Outcome(false, ack.getResponseProperties().getReasonString());
    } finally {
      device.disconnect().waitForCompletion(10_000);
      device.close();
    }
  }

  private static Outcome sendOverCoap(String deviceId, String document) throws Exception {
    String token = platform.api().provisionDevice(deviceId, "thermostat");
    CoapResponse response =
        coap.postJson("/devices/" + deviceId + "/telemetry?token=" + token, document);
    if (response.getCode() == ResponseCode.CHANGED) {
      return new Outcome(true, null);
    }
    assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    return new Outcome(false, response.getResponseText());
  }

  /** The device's stored points as "metric ts value", in order. */
  private static List<String> rows(String deviceId) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection connection = platform.database().connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT metric, ts, value FROM telemetry WHERE device_id = ? ORDER BY metric, ts")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1) + " " + rs.getTimestamp(2).toInstant() + " " + rs.getDouble(3));
        }
      }
    }
    return rows;
  }
}
