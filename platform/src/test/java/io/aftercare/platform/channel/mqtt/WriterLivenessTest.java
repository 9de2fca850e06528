package io.aftercare.platform.channel.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.ingest.TelemetryWriter;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer stays live through database faults: every publish made during an outage is answered,
 * acknowledgements resume once the database is back without a restart, and a writer stuck on a
 * database that does not answer shows on {@code /health}. Faults are real: a lock on the telemetry
 * table held by a test connection, and a stopped (SIGSTOP) database backend.
 */
class WriterLivenessTest {

  private static final Map<String, String> SHORT_WRITE_TIMEOUT =
      Map.of("ingest.writeTimeout", "2s");

  private TestPlatform platform;

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void everyPublishDuringAnOutageIsAnsweredAndAcksResumeAfterIt() throws Exception {
    platform = TestPlatform.start(SHORT_WRITE_TIMEOUT);
    MqttAsyncClient mqtt5 = v5("live-5");
    // MQTT 3.1.1 devices on the same event loops: each of their refused QoS 1 publishes closes
    // the connection, the second time an already closed one.
    List<org.eclipse.paho.client.mqttv3.MqttAsyncClient> v3Devices = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      v3Devices.add(v3("live-3-" + i));
    }

    try (Connection lock = lockTelemetry()) {
      for (int i = 0; i < v3Devices.size(); i++) {
        for (int n = 0; n < 3; n++) {
          v3Devices.get(i).publish("devices/live-3-" + i + "/telemetry", message(n));
        }
      }
      // Each publish is refused, by the timed-out batch or at once while the store is down:
      // none is left unanswered, and the connection stays open.
      for (int n = 0; n < 4; n++) {
        assertThat(publish(mqtt5, "live-5", n)).isEqualTo(0x97);
      }
      assertThat(mqtt5.isConnected()).isTrue();
      for (org.eclipse.paho.client.mqttv3.MqttAsyncClient device : v3Devices) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !device.isConnected());
      }
      lock.rollback();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> publish(mqtt5, "live-5", 100) == 0);
    // Later publishes are acknowledged as usual, on every event loop.
    assertThat(publish(mqtt5, "live-5", 101)).isZero();
    org.eclipse.paho.client.mqttv3.MqttAsyncClient back = v3("live-3-back");
    IMqttDeliveryToken ack = back.publish("devices/live-3-back/telemetry", message(0));
    ack.waitForCompletion(15_000);
    assertThat(ack.getException()).isNull();
    assertThat(
            platform.count(
                "SELECT count(*) FROM telemetry_documents WHERE device_id = ?", "live-5"))
        .isEqualTo(2);
    mqtt5.disconnect().waitForCompletion(10_000);
    back.disconnect().waitForCompletion(10_000);
  }

  @Test
  void healthReportsAWriterStalledOnADatabaseThatDoesNotAnswer() throws Exception {
    platform = TestPlatform.start(SHORT_WRITE_TIMEOUT);
    MqttAsyncClient device = v5("stall-1");
    assertThat(publish(device, "stall-1", 0)).isZero();
    ApiClient anonymous = platform.api().as(null);
    assertThat(anonymous.get("/health").body().get("writer").asText()).isEqualTo("up");

    long backend = writerBackend();
    signal("STOP", backend);
    IMqttToken waiting;
    try {
      waiting =
          device.publish(
              "devices/stall-1/telemetry",
              "{\"metrics\":{\"v\":1}}".getBytes(StandardCharsets.UTF_8),
              1,
              false);
      await().atMost(Duration.ofSeconds(20)).until(() -> anonymous.get("/health").status() == 503);
      ApiClient.Response health = anonymous.get("/health");
      assertThat(health.body().get("status").asText()).isEqualTo("degraded");
      assertThat(health.body().get("writer").asText()).isEqualTo("stalled");
      assertThat(health.body().get("reason").asText()).contains("ingest.writeTimeout");
      assertThat(waiting.isComplete()).isFalse();
    } finally {
      signal("CONT", backend);
    }

    // The stuck batch is answered (refused, or stored if the backend finished it), then the
    // writer carries on with a new connection.
    await().atMost(Duration.ofSeconds(30)).until(waiting::isComplete);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> publish(device, "stall-1", 2) == 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> anonymous.get("/health").body().get("status").asText().equals("up"));
    device.disconnect().waitForCompletion(10_000);
  }

  private Connection lockTelemetry() throws Exception {
    Connection lock = platform.database().connect();
    lock.setAutoCommit(false);
    try (Statement statement = lock.createStatement()) {
      statement.execute("LOCK TABLE telemetry_documents IN ACCESS EXCLUSIVE MODE");
    }
    return lock;
  }

  /** The process id of the database backend serving the telemetry writer. */
  private long writerBackend() throws Exception {
    try (Connection c = platform.database().connect();
        Statement statement = c.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND application_name = '"
                    + TelemetryWriter.APPLICATION_NAME
                    + "'")) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    // Output discarded, never inherited: the forked test JVM's streams talk to the build tool.
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(kill.waitFor()).isZero();
  }

  private MqttAsyncClient v5(String deviceId) throws Exception {
    String token = platform.api().provisionDevice(deviceId, "plug");
    return PahoDevices.v5(platform.mqttUri(), deviceId, token);
  }

  private org.eclipse.paho.client.mqttv3.MqttAsyncClient v3(String deviceId) throws Exception {
    String token = platform.api().provisionDevice(deviceId, "plug");
    org.eclipse.paho.client.mqttv3.MqttAsyncClient client =
        new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
            platform.mqttUri(), deviceId, new MemoryPersistence());
    client.connect(PahoDevices.v3Options(deviceId, token)).waitForCompletion(10_000);
    return client;
  }

  private static MqttMessage message(int n) {
    return new MqttMessage(("{\"metrics\":{\"v\":" + n + "}}").getBytes(StandardCharsets.UTF_8));
  }

  /** Publishes at QoS 1 and returns the PUBACK's reason code, however long it takes. */
  private static int publish(MqttAsyncClient device, String deviceId, int n) throws Exception {
    IMqttToken ack =
        device.publish(
            "devices/" + deviceId + "/telemetry",
            ("{\"metrics\":{\"v\":" + n + "}}").getBytes(StandardCharsets.UTF_8),
            1,
            false);
    await().atMost(Duration.ofSeconds(30)).until(ack::isComplete);
    return ack.getReasonCodes()[0];
  }
}
