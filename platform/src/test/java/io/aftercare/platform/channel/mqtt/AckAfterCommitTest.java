package io.aftercare.platform.channel.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * QoS 1 acknowledgements follow the commit: while the database cannot commit, nothing is
 * acknowledged, and a full write queue is answered instead of growing memory.
 */
class AckAfterCommitTest {

  private TestPlatform platform;

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void ackIsSentOnlyAfterCommit() throws Exception {
    platform = TestPlatform.start();
    String token = platform.api().provisionDevice("locked-1", "fridge");
    MqttAsyncClient device =
        new MqttAsyncClient(platform.mqttUri(), "locked-1", new MemoryPersistence());
    device.connect(PahoDevices.v3Options("locked-1", token)).waitForCompletion(10_000);

    IMqttDeliveryToken ack;
    try (Connection lock = platform.database().connect()) {
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE telemetry_documents IN ACCESS EXCLUSIVE MODE");
      }
      ack =
          device.publish(
              "devices/locked-1/telemetry",
              new MqttMessage(
                  "{\"ts\":\"2026-11-23T10:00:00Z\",\"metrics\":{\"fridge_temp_c\":9.5}}"
                      .getBytes(StandardCharsets.UTF_8)));

      // While the table is locked the batch cannot commit, so the PUBACK must not come.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3))
          .until(() -> !ack.isComplete());
      lock.rollback();
    }

    ack.waitForCompletion(10_000);
    assertThat(ack.getException()).isNull();
    assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = 'locked-1'"))
        .isEqualTo(1);
    device.disconnect().waitForCompletion(10_000);
  }

  @Test
  void fullWriteQueueAnswersMqtt5PublishWithQuotaExceeded() throws Exception {
    platform = TestPlatform.start(Map.of("ingest.queueCapacity", "4"));
    String token = platform.api().provisionDevice("busy-1", "plug");
    org.eclipse.paho.mqttv5.client.MqttAsyncClient device =
        PahoDevices.v5(platform.mqttUri(), "busy-1", token);

    try (Connection lock = platform.database().connect()) {
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE telemetry_documents IN ACCESS EXCLUSIVE MODE");
      }
      // Three points wait behind the lock; three more do not fit in a queue of four.
      IMqttToken waiting =
          device.publish(
              "devices/busy-1/telemetry",
              "{\"ts\":1795428000000,\"metrics\":{\"a\":1,\"b\":2,\"c\":3}}"
                  .getBytes(StandardCharsets.UTF_8),
              1,
              false);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> queued(platform) > 0 || waiting.isComplete());
      IMqttToken refused =
          device.publish(
              "devices/busy-1/telemetry",
              "{\"ts\":1795428001000,\"metrics\":{\"a\":1,\"b\":2,\"c\":3}}"
                  .getBytes(StandardCharsets.UTF_8),
              1,
              false);
      await().atMost(Duration.ofSeconds(10)).until(refused::isComplete);
      assertThat(refused.getReasonCodes()).containsExactly(0x97);
      assertThat(waiting.isComplete()).isFalse();
      lock.rollback();
      waiting.waitForCompletion(10_000);
      assertThat(waiting.getReasonCodes()).containsExactly(0);
    }
    assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = 'busy-1'"))
        .isEqualTo(3);
    device.disconnect().waitForCompletion(10_000);
  }

  @Test
  void fullWriteQueueSlowsMqtt311PublishersInsteadOfRefusingThem() throws Exception {
    platform = TestPlatform.start(Map.of("ingest.queueCapacity", "4"));
    String token = platform.api().provisionDevice("slow-1", "plug");
    MqttAsyncClient device =
        new MqttAsyncClient(platform.mqttUri(), "slow-1", new MemoryPersistence());
    device.connect(PahoDevices.v3Options("slow-1", token)).waitForCompletion(10_000);
    java.util.List<IMqttDeliveryToken> acks = new java.util.ArrayList<>();

    try (Connection lock = platform.database().connect()) {
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE telemetry_documents IN ACCESS EXCLUSIVE MODE");
      }
      // Ten messages of three points each: far more than a queue of four rows holds.
      for (int i = 0; i < 10; i++) {
        String document =
            "{\"ts\":" + (1795428000000L + i * 1000) + ",\"metrics\":{\"a\":1,\"b\":2,\"c\":3}}";
        acks.add(
            device.publish(
                "devices/slow-1/telemetry",
                new MqttMessage(document.getBytes(StandardCharsets.UTF_8))));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> platform.metric("aftercare_mqtt_publish_parked_total") > 0);
      assertThat(acks).noneMatch(IMqttDeliveryToken::isComplete);
      assertThat(device.isConnected()).isTrue();
      lock.rollback();
    }

    for (IMqttDeliveryToken ack : acks) {
      ack.waitForCompletion(15_000);
      assertThat(ack.getException()).isNull();
    }
    assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = 'slow-1'"))
        .isEqualTo(30);
    device.disconnect().waitForCompletion(10_000);
  }

  /** Rows waiting in the writer, read from the Prometheus endpoint like an operator would. */
  private static double queued(TestPlatform platform) {
    return platform.metric("aftercare_ingest_queue_rows");
  }
}
