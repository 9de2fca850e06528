package io.aftercare.platform.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.SseClient;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Promise 8's access log outside the REST resources, over real HTTP, MQTT and the real database
 * (docs/privacy.md): opening the live stream of a device's telemetry (the console's server-sent
 * events) writes one {@code data.read.sensitive} entry for the whole subscription, however many
 * events it then carries; the fleet stream, which carries ids and states only, writes none.
 */
class LiveStreamAuditTest {

  private static TestPlatform platform;
  private static ApiClient admin;
  private static String viewerToken;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    viewerToken = admin.createStaff("ls-viewer", "viewer");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aLockStreamIsAuditedOnceForTheSubscriptionNotPerEvent() throws Exception {
    String token = admin.provisionDevice("ls-lock", "door_lock");
    MqttClient lock = PahoDevices.v3(platform.mqttUri(), "ls-lock", token);
    try (SseClient stream = stream("?device=ls-lock")) {
      for (int minute = 10; minute < 13; minute++) {
        lock.publish(
            "devices/ls-lock/telemetry",
            ("{\"ts\":\"2026-12-01T10:" + minute + ":00Z\",\"metrics\":{\"battery_pct\":80}}")
                .getBytes(StandardCharsets.UTF_8),
            1,
            false);
      }
      for (int seen = 0; seen < 3; seen++) {
        stream.next(event -> event.name().equals("telemetry"));
      }
      assertThat(stream.seen()).filteredOn(event -> event.name().equals("telemetry")).hasSize(3);
    } finally {
      lock.disconnect();
    }

    JsonNode detail = onlyEntry("device/ls-lock");
    assertThat(detail.path("data").get(0).asText()).isEqualTo("lock_camera_events");
    assertThat(detail.path("path").asText()).isEqualTo("/api/v1/live");
    assertThat(detail.path("stream").asText()).contains("until the stream closes");
  }

  @Test
  void anotherDevicesStreamIsAuditedAsPresenceTheFleetStreamNotAtAll() {
    admin.provisionDevice("ls-thermo", "thermostat");
    long fleetEntriesBefore = liveEntries();

    try (SseClient fleet = stream("")) {
      assertThat(fleet.status()).isEqualTo(200);
    }
    assertThat(liveEntries())
        .as("the fleet stream carries no sensitive data")
        .isEqualTo(fleetEntriesBefore);

    try (SseClient stream = stream("?device=ls-thermo")) {
      assertThat(stream.status()).isEqualTo(200);
    }
    assertThat(onlyEntry("device/ls-thermo").path("data").get(0).asText())
        .isEqualTo("presence_metrics");

    try (SseClient unknown =
        SseClient.open(
            url("?device=ls-nothing"), Map.of("authorization", "Bearer " + viewerToken))) {
      assertThat(unknown.status()).isEqualTo(404);
    }
    assertThat(entries("device/ls-nothing")).isZero();
  }

  private static SseClient stream(String query) {
    SseClient stream = SseClient.open(url(query), Map.of("authorization", "Bearer " + viewerToken));
    assertThat(stream.status()).isEqualTo(200);
    return stream;
  }

  private static String url(String query) {
    return "http://127.0.0.1:" + platform.platform().httpPort() + "/api/v1/live" + query;
  }

  private static long liveEntries() {
    return platform.count(
        "SELECT count(*) FROM audit_log WHERE action = 'data.read.sensitive'"
            + " AND actor = 'ls-viewer' AND detail->>'path' = '/api/v1/live'");
  }

  private static long entries(String target) {
    return platform.count(
        "SELECT count(*) FROM audit_log WHERE action = 'data.read.sensitive'"
            + " AND actor = 'ls-viewer' AND target = ?",
        target);
  }

  /** The one data.read.sensitive entry of ls-viewer on {@code target}, read as supervisors do. */
  private static JsonNode onlyEntry(String target) {
    assertThat(entries(target)).isEqualTo(1);
    JsonNode listed =
        admin
            .get("/api/v1/audit?action=data.read.sensitive&actor=ls-viewer&target=" + target)
            .body()
            .get("entries");
    assertThat(listed.size()).isEqualTo(1);
    return listed.get(0).get("detail");
  }
}
