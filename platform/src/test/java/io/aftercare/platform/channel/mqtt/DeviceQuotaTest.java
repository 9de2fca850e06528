package io.aftercare.platform.channel.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.MqttCallbackAdapter;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each device has its own allowance of messages, bytes and write-queue room: a device exceeding it
 * is answered with quota codes at the door while the other devices are served as usual.
 */
class DeviceQuotaTest {

  private static final String DOCUMENT = "{\"metrics\":{\"power_w\":10}}";

  private TestPlatform platform;

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** One message a second, no burst to speak of: the second of a quick pair is over quota. */
  private static Map<String, String> oneMessagePerSecond(int disconnectAfterRefusals) {
    return Map.of(
        "ingest.deviceQuota.messagesPerSecond", "1",
        "ingest.deviceQuota.burst", "1s",
        "ingest.deviceQuota.disconnectAfterRefusals", String.valueOf(disconnectAfterRefusals));
  }

  @Test
  void floodingMqtt5DeviceGetsQuotaExceededWhileAnotherDeviceIsAcknowledged() throws Exception {
    platform = TestPlatform.start(oneMessagePerSecond(1000));
    MqttAsyncClient flooder = v5("flood-5");
    MqttAsyncClient neighbour = v5("calm-5");

    List<Integer> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(publish(flooder, "flood-5"));
    }
    int calm = publish(neighbour, "calm-5");

    assertThat(answers.get(0)).isZero();
    assertThat(answers).contains(0x97).containsOnly(0, 0x97);
    assertThat(calm).isZero();
    assertThat(flooder.isConnected()).isTrue();
    long acked = answers.stream().filter(code -> code == 0).count();
    assertThat(
            platform.count(
                "SELECT count(*) FROM telemetry_documents WHERE device_id = ?", "flood-5"))
        .isEqualTo(acked);
    assertThat(platform.metric("aftercare_ingest_quota_refused_total{reason=\"rate_exceeded\"}"))
        .isEqualTo(20 - acked);
    flooder.disconnect().waitForCompletion(10_000);
    neighbour.disconnect().waitForCompletion(10_000);
  }

  @Test
  void mqtt5DeviceThatKeepsFloodingIsDisconnectedWithMessageRateTooHigh() throws Exception {
    platform = TestPlatform.start(oneMessagePerSecond(5));
    MqttAsyncClient flooder = v5("flood-q0");
    CompletableFuture<Integer> disconnect = new CompletableFuture<>();
    flooder.setCallback(
        new MqttCallbackAdapter() {
          @Override
          public void disconnected(MqttDisconnectResponse response) {
            disconnect.complete(response.getReturnCode());
          }
        });

    // QoS 0 has no acknowledgement to refuse: the only answer to a flood is the DISCONNECT.
    for (int i = 0; i < 50 && flooder.isConnected(); i++) {
      flooder.publish(
          "devices/flood-q0/telemetry", DOCUMENT.getBytes(StandardCharsets.UTF_8), 0, false);
    }

    assertThat(disconnect.get(20, TimeUnit.SECONDS)).isEqualTo(0x96);
  }

  @Test
  void floodingMqtt311DeviceIsDisconnected() throws Exception {
    platform = TestPlatform.start(oneMessagePerSecond(1000));
    String token = platform.api().provisionDevice("flood-3", "plug");
    MqttClient flooder = PahoDevices.v3(platform.mqttUri(), "flood-3", token);
    MqttAsyncClient neighbour = v5("calm-3");

    // 3.1.1 has no negative acknowledgement: the connection over its quota is closed.
    for (int i = 0; i < 50 && flooder.isConnected(); i++) {
      try {
        flooder.publish(
            "devices/flood-3/telemetry",
            new MqttMessage(DOCUMENT.getBytes(StandardCharsets.UTF_8)));
      } catch (org.eclipse.paho.client.mqttv3.MqttException closed) {
        break;
      }
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> !flooder.isConnected());
    assertThat(publish(neighbour, "calm-3")).isZero();
    flooder.close(true);
    neighbour.disconnect().waitForCompletion(10_000);
  }

  @Test
  void deviceHoldingItsShareOfTheWriteQueueIsRefusedWhileOthersStillQueue() throws Exception {
    platform = TestPlatform.start(Map.of("ingest.deviceQuota.maxQueuedPoints", "3"));
    MqttAsyncClient hog = v5("hog-1");
    MqttAsyncClient other = v5("other-1");
    String threePoints = "{\"ts\":1795428000000,\"metrics\":{\"a\":1,\"b\":2,\"c\":3}}";

    try (Connection lock = platform.database().connect()) {
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE telemetry_documents IN ACCESS EXCLUSIVE MODE");
      }
      IMqttToken hogWaiting = hog.publish("devices/hog-1/telemetry", bytes(threePoints), 1, false);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> platform.metric("aftercare_ingest_queue_rows") >= 3);
      IMqttToken hogRefused =
          hog.publish(
              "devices/hog-1/telemetry",
              bytes("{\"ts\":1795428001000,\"metrics\":{\"a\":1}}"),
              1,
              false);
      IMqttToken otherWaiting =
          other.publish("devices/other-1/telemetry", bytes(threePoints), 1, false);

      await().atMost(Duration.ofSeconds(10)).until(hogRefused::isComplete);
      assertThat(hogRefused.getReasonCodes()).containsExactly(0x97);
      // The other device's message was queued, not refused: it waits for the lock like the first.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> platform.metric("aftercare_ingest_queue_rows") >= 6);
      assertThat(otherWaiting.isComplete()).isFalse();
      lock.rollback();

      hogWaiting.waitForCompletion(15_000);
      otherWaiting.waitForCompletion(15_000);
      assertThat(hogWaiting.getReasonCodes()).containsExactly(0);
      assertThat(otherWaiting.getReasonCodes()).containsExactly(0);
    }
    assertThat(platform.metric("aftercare_ingest_quota_refused_total{reason=\"queue_share_full\"}"))
        .isEqualTo(1);
    hog.disconnect().waitForCompletion(10_000);
    other.disconnect().waitForCompletion(10_000);
  }

  private MqttAsyncClient v5(String deviceId) throws Exception {
    String token = platform.api().provisionDevice(deviceId, "plug");
    return PahoDevices.v5(platform.mqttUri(), deviceId, token);
  }

  /** Publishes one document at QoS 1 and returns the PUBACK's reason code. */
  private static int publish(MqttAsyncClient device, String deviceId) throws Exception {
    IMqttToken ack =
        device.publish("devices/" + deviceId + "/telemetry", bytes(DOCUMENT), 1, false);
    await().atMost(Duration.ofSeconds(20)).until(ack::isComplete);
    return ack.getReasonCodes()[0];
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
