package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alarm queue's actions on alarms the engine raised from real MQTT telemetry: acknowledge with
 * a note, bulk acknowledge, assign, snooze.
 */
class AlarmQueueActionsTest {

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient technician;
  private static ApiClient supervisor;
  private static DeclaredProperties schemas;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    technician = admin.as(admin.createStaff("aq-tech", "technician"));
    supervisor = admin.as(admin.createStaff("aq-super", "supervisor"));
    schemas = new DeclaredProperties(admin.as(null).get("/api/v1/openapi.json").body());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** A thermostat whose low battery raises an alarm; returns the alarm's id. */
  private static long lowBattery(String deviceId) throws Exception {
    String token = admin.provisionDevice(deviceId, "thermostat");
    MqttClient device = PahoDevices.v3(platform.mqttUri(), deviceId, token);
    device.publish(
        "devices/" + deviceId + "/telemetry",
        "{\"metrics\":{\"battery_pct\":8}}".getBytes(StandardCharsets.UTF_8),
        1,
        false);
    device.disconnect();
    await().atMost(Duration.ofSeconds(15)).until(() -> alarmsOf(deviceId, "").size() == 1);
    return alarmsOf(deviceId, "").get(0).get("id").asLong();
  }

  private static JsonNode alarmsOf(String deviceId, String query) {
    return admin.get("/api/v1/alarms?deviceId=" + deviceId + query).body().get("alarms");
  }

  @Test
  void anAcknowledgementKeepsItsNoteOnTheAlarmAndInTheAudit() throws Exception {
    long id = lowBattery("aq-note");

    ApiClient.Response acknowledged =
        supervisor.post(
            "/api/v1/alarms/" + id + "/ack", Map.of("note", "customer called, replacing it"));

    assertThat(acknowledged.status()).isEqualTo(200);
    schemas.assertFits(acknowledged, "/api/v1/alarms/{alarmId}/ack", "post");
    assertThat(acknowledged.body().get("status").asText()).isEqualTo("acknowledged");
    assertThat(acknowledged.body().get("ackNote").asText())
        .isEqualTo("customer called, replacing it");
    JsonNode entry =
        admin
            .get("/api/v1/audit?action=alarm.acknowledge&target=alarm/" + id)
            .body()
            .at("/entries/0");
    assertThat(entry.at("/detail/note").asText()).isEqualTo("customer called, replacing it");
    assertThat(
            supervisor
                .post("/api/v1/alarms/" + id + "/ack", Map.of("note", "x".repeat(1001)))
                .status())
        .isEqualTo(400);
  }

  @Test
  void aBulkAcknowledgementReportsEachAlarmAndIsAuditedOnce() throws Exception {
    long first = lowBattery("aq-bulk-1");
    long second = lowBattery("aq-bulk-2");
    long earlier = lowBattery("aq-bulk-3");
    assertThat(supervisor.post("/api/v1/alarms/" + earlier + "/ack", "{}").status()).isEqualTo(200);
    long missing = 987_654_321L;
    Map<String, Object> request =
        Map.of("alarmIds", List.of(first, second, earlier, missing), "note", "storm last night");

    assertThat(technician.post("/api/v1/alarms/acknowledgements", request).status()).isEqualTo(403);
    ApiClient.Response answer = supervisor.post("/api/v1/alarms/acknowledgements", request);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    schemas.assertFits(answer, "/api/v1/alarms/acknowledgements", "post");
    Map<Long, String> outcomes = new HashMap<>();
    for (JsonNode result : answer.body().get("results")) {
      outcomes.put(result.get("alarmId").asLong(), result.get("outcome").asText());
    }
    assertThat(outcomes)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                first, "acknowledged",
                second, "acknowledged",
                earlier, "already",
                missing, "not_found"));
    assertThat(admin.get("/api/v1/alarms/" + first).body().get("ackNote").asText())
        .isEqualTo("storm last night");
    JsonNode entries =
        admin
            .get("/api/v1/audit?actor=aq-super&action=alarm.bulk_acknowledge")
            .body()
            .get("entries");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).at("/detail/alarmIds"))
        .extracting(JsonNode::asLong)
        .containsExactly(first, second, earlier, missing);
    assertThat(entries.get(0).at("/detail/acknowledged"))
        .extracting(JsonNode::asLong)
        .containsExactly(first, second);
    for (long alarm : List.of(first, second)) {
      assertThat(
              admin
                  .get("/api/v1/audit?action=alarm.acknowledge&target=alarm/" + alarm)
                  .body()
                  .get("entries"))
          .as("no entry of its own")
          .isEmpty();
    }
    assertThat(
            supervisor
                .post("/api/v1/alarms/acknowledgements", Map.of("alarmIds", List.of()))
                .status())
        .isEqualTo(400);
  }

  @Test
  void alarmsAreAssignedToEnabledStaffOnly() throws Exception {
    long id = lowBattery("aq-assign");
    admin.createStaff("aq-owner", "technician");
    admin.createStaff("aq-gone", "technician");
    assertThat(admin.patch("/api/v1/staff/aq-gone", Map.of("disabled", true)).status())
        .isEqualTo(200);

    ApiClient.Response assigned =
        technician.post("/api/v1/alarms/" + id + "/assignment", Map.of("assignee", "aq-owner"));

    assertThat(assigned.status()).isEqualTo(200);
    schemas.assertFits(assigned, "/api/v1/alarms/{alarmId}/assignment", "post");
    assertThat(assigned.body().get("assignee").asText()).isEqualTo("aq-owner");
    assertThat(admin.get("/api/v1/alarms?assignee=aq-owner").body().get("alarms"))
        .extracting(alarm -> alarm.get("id").asLong())
        .containsExactly(id);
    assertThat(
            admin.get("/api/v1/audit?action=alarm.assign&target=alarm/" + id).body().get("entries"))
        .hasSize(1);

    ApiClient.Response disabled =
        technician.post("/api/v1/alarms/" + id + "/assignment", Map.of("assignee", "aq-gone"));
    assertThat(disabled.status()).isEqualTo(400);
    assertThat(disabled.body().get("detail").asText()).contains("'assignee'").contains("aq-gone");
    assertThat(
            technician
                .post("/api/v1/alarms/" + id + "/assignment", Map.of("assignee", "nobody"))
                .status())
        .isEqualTo(400);

    Map<String, Object> unassign = new HashMap<>();
    unassign.put("assignee", null);
    ApiClient.Response unassigned =
        technician.post("/api/v1/alarms/" + id + "/assignment", unassign);
    assertThat(unassigned.status()).isEqualTo(200);
    assertThat(unassigned.body().has("assignee")).isFalse();
    assertThat(
            technician
                .post("/api/v1/alarms/987654321/assignment", Map.of("assignee", "aq-owner"))
                .status())
        .isEqualTo(404);
    ApiClient viewer = admin.as(admin.createStaff("aq-viewer", "viewer"));
    assertThat(
            viewer
                .post("/api/v1/alarms/" + id + "/assignment", Map.of("assignee", "aq-owner"))
                .status())
        .isEqualTo(403);
  }

  @Test
  void aSnoozedAlarmLeavesTheDefaultListUntilItsSnoozeEnds() throws Exception {
    long id = lowBattery("aq-snooze");
    String until =
        Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString();

    assertThat(technician.post("/api/v1/alarms/" + id + "/snooze", Map.of("until", until)).status())
        .isEqualTo(403);
    ApiClient.Response snoozed =
        supervisor.post(
            "/api/v1/alarms/" + id + "/snooze", Map.of("until", until, "note", "waiting on parts"));

    assertThat(snoozed.status()).as(snoozed.toString()).isEqualTo(200);
    schemas.assertFits(snoozed, "/api/v1/alarms/{alarmId}/snooze", "post");
    assertThat(Instant.parse(snoozed.body().get("snoozedUntil").asText()))
        .isEqualTo(Instant.parse(until));
    assertThat(alarmsOf("aq-snooze", "")).isEmpty();
    assertThat(alarmsOf("aq-snooze", "&snoozed=true"))
        .extracting(alarm -> alarm.get("id").asLong())
        .containsExactly(id);
    assertThat(alarmsOf("aq-snooze", "&snoozed=false")).isEmpty();
    // The device's own page still shows it among its open alarms.
    assertThat(admin.get("/api/v1/devices/aq-snooze").body().get("openAlarms")).hasSize(1);
    JsonNode entry =
        admin.get("/api/v1/audit?action=alarm.snooze&target=alarm/" + id).body().at("/entries/0");
    assertThat(entry.at("/detail/note").asText()).isEqualTo("waiting on parts");

    assertThat(
            supervisor
                .post(
                    "/api/v1/alarms/" + id + "/snooze",
                    Map.of("until", Instant.now().minusSeconds(60).toString()))
                .status())
        .isEqualTo(400);
    Map<String, Object> wake = new HashMap<>();
    wake.put("until", null);
    assertThat(supervisor.post("/api/v1/alarms/" + id + "/snooze", wake).status()).isEqualTo(200);
    assertThat(alarmsOf("aq-snooze", "")).hasSize(1);
  }
}
