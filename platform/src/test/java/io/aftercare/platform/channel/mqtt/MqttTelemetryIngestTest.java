package io.aftercare.platform.channel.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Devices publish telemetry over MQTT 3.1.1 and 5 with real Paho clients. */
class MqttTelemetryIngestTest {

  private static TestPlatform platform;
  private static ApiClient api;
  private static final AtomicInteger DEVICE_NUMBER = new AtomicInteger();

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    api = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static String newDeviceId() {
    return "dev-" + DEVICE_NUMBER.incrementAndGet();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode points(String deviceId, String query) {
    ApiClient.Response response =
        api.get("/api/v1/devices/" + deviceId + "/telemetry?from=2026-01-01T00:00:00Z" + query);
    assertThat(response.status()).isEqualTo(200);
    return response.body().get("points");
  }

  private static long storedPoints(String deviceId) {
    return platform.count("SELECT count(*) FROM telemetry WHERE device_id = ?", deviceId);
  }

  @Test
  void mqtt311DevicePublishesSingleAndBatchTelemetryQueryableThroughApi() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "thermostat");
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);

    device.publish(
        "devices/" + id + "/telemetry",
        utf8(
            "{\"ts\":\"2026-11-23T10:00:00Z\",\"metrics\":{\"temperature_c\":21.5,\"door_open\":false}}"),
        1,
        false);
    device.publish(
        "devices/" + id + "/telemetry",
        utf8(
            "[{\"ts\":1795428060000,\"metrics\":{\"temperature_c\":21.7}},"
                + "{\"ts\":\"2026-11-23T10:02:00+01:00\",\"metrics\":{\"temperature_c\":21.9}}]"),
        1,
        false);
    device.disconnect();

    JsonNode temperature = points(id, "&metric=temperature_c");
    assertThat(temperature).hasSize(3);
    assertThat(temperature.get(0).get("ts").asText()).isEqualTo("2026-11-23T09:02:00Z");
    assertThat(temperature.get(0).get("value").asDouble()).isEqualTo(21.9);
    assertThat(temperature.get(1).get("value").asDouble()).isEqualTo(21.5);
    assertThat(temperature.get(2).get("value").asDouble()).isEqualTo(21.7);
    JsonNode door = points(id, "&metric=door_open");
    assertThat(door).hasSize(1);
    assertThat(door.get(0).get("value").asDouble()).isEqualTo(0.0);
  }

  @Test
  void mqtt5DevicePublishesSingleAndBatchTelemetryQueryableThroughApi() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "fridge");
    MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), id, token);

    IMqttToken single =
        device.publish(
            "devices/" + id + "/telemetry",
            utf8(
                "{\"ts\":\"2026-11-23T10:00:00Z\",\"metrics\":{\"fridge_temp_c\":4.5,\"battery_pct\":87}}"),
            1,
            false);
    single.waitForCompletion(10_000);
    assertThat(single.getReasonCodes()).containsExactly(0);
    device
        .publish(
            "devices/" + id + "/telemetry",
            utf8(
                "[{\"ts\":\"2026-11-23T10:01:00Z\",\"metrics\":{\"fridge_temp_c\":4.6}},{\"metrics\":{\"fridge_temp_c\":4.7}}]"),
            1,
            false)
        .waitForCompletion(10_000);
    device.disconnect().waitForCompletion(10_000);

    assertThat(points(id, "&metric=fridge_temp_c")).hasSize(3);
    assertThat(points(id, "&metric=battery_pct").get(0).get("value").asDouble()).isEqualTo(87.0);
  }

  @Test
  void redeliveredDocumentIsStoredOnce() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "plug");
    String document =
        "{\"ts\":\"2026-11-23T11:00:00Z\",\"metrics\":{\"power_w\":12.5,\"relay_on\":true}}";

    // As after a lost PUBACK: the same document again, on the same and on a new connection.
    MqttClient first = PahoDevices.v3(platform.mqttUri(), id, token);
    first.publish("devices/" + id + "/telemetry", utf8(document), 1, false);
    first.publish("devices/" + id + "/telemetry", utf8(document), 1, false);
    first.disconnect();
    MqttAsyncClient second = PahoDevices.v5(platform.mqttUri(), id, token);
    second
        .publish("devices/" + id + "/telemetry", utf8(document), 1, false)
        .waitForCompletion(10_000);
    second.disconnect().waitForCompletion(10_000);

    assertThat(storedPoints(id)).isEqualTo(2);
  }

  @Test
  void wrongPasswordIsRefusedOnBothProtocolVersions() throws Exception {
    String id = newDeviceId();
    api.provisionDevice(id, "lock");

    assertThatThrownBy(() -> PahoDevices.v3(platform.mqttUri(), id, "wrong-token"))
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
    assertThatThrownBy(() -> PahoDevices.v5(platform.mqttUri(), id, "wrong-token"))
        .isInstanceOfSatisfying(
            org.eclipse.paho.mqttv5.common.MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
    assertThatThrownBy(() -> PahoDevices.v5(platform.mqttUri(), "never-provisioned", "any"))
        .isInstanceOfSatisfying(
            org.eclipse.paho.mqttv5.common.MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
  }

  @Test
  void mqtt5PublishToAnotherDevicesTopicGetsNotAuthorizedAndStoresNothing() throws Exception {
    String id = newDeviceId();
    String victim = newDeviceId();
    String token = api.provisionDevice(id, "camera");
    api.provisionDevice(victim, "camera");
    MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), id, token);

    IMqttToken refused =
        device.publish(
            "devices/" + victim + "/telemetry", utf8("{\"metrics\":{\"rssi_dbm\":-60}}"), 1, false);
    awaitCompletion(refused);

    assertThat(refused.getReasonCodes()).containsExactly(0x87);
    assertThat(device.isConnected()).isTrue();
    assertThat(storedPoints(victim)).isZero();
    device.disconnect().waitForCompletion(10_000);
  }

  @Test
  void mqtt311PublishToAnotherDevicesTopicClosesTheConnection() throws Exception {
    String id = newDeviceId();
    String victim = newDeviceId();
    String token = api.provisionDevice(id, "hub");
    api.provisionDevice(victim, "hub");
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);

    assertThatThrownBy(
            () ->
                device.publish(
                    "devices/" + victim + "/telemetry",
                    utf8("{\"metrics\":{\"rssi_dbm\":-60}}"),
                    1,
                    false))
        .isInstanceOf(MqttException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> !device.isConnected());
    assertThat(storedPoints(victim)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          invalid JSON          | {"metrics": {"temperature_c": 21.5  | invalid JSON
          non-finite value      | {"metrics": {"temperature_c": "NaN"}} | finite number
          unknown shape         | {"temperature_c": 21.5}               | unknown field 'temperature_c'
          bad metric name       | {"metrics": {"Temperature-C": 21.5}}  | bad metric name
          empty metrics         | {"metrics": {}}                       | is empty
          nested value          | {"metrics": {"t": {"v": 1}}}          | finite number or a boolean
          huge number           | {"metrics": {"t": 1e999}}             | finite number
          """)
  void mqtt5InvalidDocumentGetsPayloadFormatInvalidWithReasonAndStoresNothing(
      String name, String payload, String reason) throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "thermostat");
    MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), id, token);

    IMqttToken refused = device.publish("devices/" + id + "/telemetry", utf8(payload), 1, false);
    awaitCompletion(refused);

    assertThat(refused.getReasonCodes()).containsExactly(0x99);
    assertThat(refused.getResponseProperties().getReasonString()).contains(reason);
    assertThat(storedPoints(id)).isZero();
    // The connection and the gateway keep serving.
    device
        .publish(
            "devices/" + id + "/telemetry", utf8("{\"metrics\":{\"temperature_c\":20}}"), 1, false)
        .waitForCompletion(10_000);
    assertThat(storedPoints(id)).isEqualTo(1);
    device.disconnect().waitForCompletion(10_000);
  }

  @Test
  void mqtt5RefusalCarriesNoReasonStringWhenTheClientAskedForNoProblemInformation()
      throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "thermostat");
    MqttAsyncClient device =
        new MqttAsyncClient(
            platform.mqttUri(), id, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    MqttConnectionOptions options = PahoDevices.v5Options(id, token);
    options.setRequestProblemInfo(false);
    device.connect(options).waitForCompletion(10_000);

    IMqttToken refused =
        device.publish(
            "devices/" + id + "/telemetry", utf8("{\"metrics\": {\"t\": \"NaN\"}}"), 1, false);
    awaitCompletion(refused);

    assertThat(refused.getReasonCodes()).containsExactly(0x99);
    MqttProperties answer = refused.getResponseProperties();
    assertThat(answer == null ? null : answer.getReasonString()).isNull();
    assertThat(answer == null ? List.of() : answer.getUserProperties()).isEmpty();
    assertThat(storedPoints(id)).isZero();
    device.disconnect().waitForCompletion(10_000);
  }

  @Test
  void mqtt311InvalidDocumentIsDroppedAndItsReasonPublishedAndRecorded() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "thermostat");
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    List<String> errors = new CopyOnWriteArrayList<>();
    device.subscribe(
        "devices/" + id + "/errors",
        1,
        (topic, message) -> errors.add(new String(message.getPayload(), StandardCharsets.UTF_8)));

    device.publish("devices/" + id + "/telemetry", utf8("{\"metrics\":{\"t\":\"hot\"}}"), 1, false);

    await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
    assertThat(errors.get(0)).contains("finite number").contains("devices/" + id + "/telemetry");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                platform.count("SELECT count(*) FROM rejected_messages WHERE device_id = ?", id)
                    == 1);
    assertThat(storedPoints(id)).isZero();
    assertThat(device.isConnected()).isTrue();
    device.disconnect();
  }

  @Test
  void eventsAreStoredAndQueryable() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "fridge");
    MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), id, token);

    device
        .publish(
            "devices/" + id + "/events",
            utf8(
                "{\"ts\":\"2026-11-23T10:00:02Z\",\"type\":\"error\",\"code\":\"E_COMPRESSOR_STALL\","
                    + "\"message\":\"compressor stalled\",\"data\":{\"retries\":3}}"),
            1,
            false)
        .waitForCompletion(10_000);
    device.disconnect().waitForCompletion(10_000);

    ApiClient.Response events =
        api.get("/api/v1/devices/" + id + "/events?from=2026-11-23T00:00:00Z");
    assertThat(events.status()).isEqualTo(200);
    JsonNode event = events.body().get("events").get(0);
    assertThat(event.get("code").asText()).isEqualTo("E_COMPRESSOR_STALL");
    assertThat(event.get("data").get("retries").asInt()).isEqualTo(3);
  }

  @Test
  void connectAndDisconnectUpdateTheOnlineState() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "plug");
    assertThat(api.get("/api/v1/devices/" + id).body().get("online").asBoolean()).isFalse();

    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.get("/api/v1/devices/" + id).body().get("online").asBoolean());
    device.disconnect();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !api.get("/api/v1/devices/" + id).body().get("online").asBoolean());
    JsonNode view = api.get("/api/v1/devices/" + id).body();
    assertThat(view.get("lastSeenAt").isNull()).isFalse();
    assertThat(
            platform.count(
                "SELECT count(*) FROM device_connectivity WHERE device_id = ? AND reason = 'disconnected'",
                id))
        .isEqualTo(1);
  }

  @Test
  void secondConnectionWithTheSameClientIdTakesOverTheFirst() throws Exception {
    String id = newDeviceId();
    String token = api.provisionDevice(id, "hub");
    MqttAsyncClient first = PahoDevices.v5(platform.mqttUri(), id, token);
    MqttAsyncClient second = PahoDevices.v5(platform.mqttUri(), id, token);

    await().atMost(Duration.ofSeconds(10)).until(() -> !first.isConnected());
    assertThat(second.isConnected()).isTrue();
    MqttMessage message = new MqttMessage(utf8("{\"metrics\":{\"uptime_s\":5}}"), 1, false, null);
    second.publish("devices/" + id + "/telemetry", message).waitForCompletion(10_000);
    // The first connection's close must not mark the device offline under the second.
    assertThat(api.get("/api/v1/devices/" + id).body().get("online").asBoolean()).isTrue();
    second.disconnect().waitForCompletion(10_000);
  }

  private static void awaitCompletion(IMqttToken token) {
    await().atMost(Duration.ofSeconds(10)).until(token::isComplete);
  }
}
