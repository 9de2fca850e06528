package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Promise 11, start-up: the device channels listen while the diagnostics history is restored, and
 * what arrives meanwhile is evaluated once the restore ends, exactly once.
 */
class RestoreInBackgroundTest {

  private TestPlatform platform;
  private Connection locker;

  @AfterEach
  void stop() throws SQLException {
    if (locker != null) {
      locker.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  private void publish(String id, String token, String json) throws Exception {
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    // QoS 1: returns once the platform has acknowledged, that is stored, the document.
    device.publish("devices/" + id + "/telemetry", json.getBytes(StandardCharsets.UTF_8), 1, false);
    device.disconnect();
  }

  private JsonNode alarms(String deviceId) {
    return platform.api().get("/api/v1/alarms?deviceId=" + deviceId).body().get("alarms");
  }

  @Test
  void documentsAckedWhileTheRestoreWaitsAreEvaluatedOnceItEnds() throws Exception {
    platform = TestPlatform.start();
    String token = platform.api().provisionDevice("thermo-bg", "thermostat");
    Instant t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
    publish("thermo-bg", token, "{\"ts\":\"" + t0 + "\",\"metrics\":{\"battery_pct\":8}}");
    await().atMost(Duration.ofSeconds(15)).until(() -> alarms("thermo-bg").size() == 1);

    // The restore reads the open alarms: while another transaction locks that table, the restore
    // waits, as a long one would.
    platform.restart(this::lockAlarms);

    publish(
        "thermo-bg",
        token,
        "{\"ts\":\"" + t0.plusSeconds(60) + "\",\"metrics\":{\"battery_pct\":4}}");
    assertThat(
            platform.count(
                "SELECT count(*) FROM telemetry_documents WHERE device_id = ? AND ts = ?",
                "thermo-bg",
                java.sql.Timestamp.from(t0.plusSeconds(60))))
        .isEqualTo(1);
    assertThat(
            platform.count(
                "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE wait_event_type = 'Lock' AND datname = current_database()"))
        .as("the restore still waits for the lock")
        .isPositive();

    locker.commit();

    // Evaluated after the restore: the same alarm is updated once, not raised again.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> alarms("thermo-bg").get(0).get("count").asLong() == 2);
    assertThat(alarms("thermo-bg")).hasSize(1);
    assertThat(platform.count("SELECT count(*) FROM alarm_events WHERE type = 'raised'"))
        .isEqualTo(1);
  }

  private void lockAlarms() {
    try {
      locker = platform.database().connect();
      locker.setAutoCommit(false);
      try (Statement lock = locker.createStatement()) {
        lock.execute("LOCK TABLE alarms IN ACCESS EXCLUSIVE MODE");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
