package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestHttp;
import io.aftercare.platform.testing.TestPlatform;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bulk commands through the REST API, delivered to real MQTT devices: preview, the confirmed count,
 * per-device results, one audit entry per batch, roles, the limits.
 */
class BulkCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient technician;
  private static DeclaredProperties schemas;
  private static final List<MqttClient> devices = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    platform = TestPlatform.start(Map.of("commands.bulk.maxTargets", "4"));
    admin = platform.api();
    technician = admin.as(admin.createStaff("bulk-tech", "technician"));
    schemas = new DeclaredProperties(admin.as(null).get("/api/v1/openapi.json").body());
    // Cameras on firmware 2.4.1: two connected and answering, one offline, one decommissioned.
    devices.add(answering(camera("bc-cam-1", "2.4.1")));
    devices.add(answering(camera("bc-cam-2", "2.4.1")));
    camera("bc-cam-3", "2.4.1");
    camera("bc-cam-old", "2.4.1");
    assertThat(admin.patch("/api/v1/devices/bc-cam-old", Map.of("serviceState", "decommissioned")))
        .extracting(ApiClient.Response::status)
        .isEqualTo(200);
    // Not matched: another firmware, another type.
    camera("bc-cam-4", "2.4.0");
    admin.provisionDevice("bc-hub-1", "hub");
    platform.execute("UPDATE devices SET firmware = '2.4.1' WHERE id = 'bc-hub-1'");
  }

  @AfterAll
  static void stop() throws Exception {
    for (MqttClient device : devices) {
      device.disconnect();
    }
    if (platform != null) {
      platform.close();
    }
  }

  /** Provisions a camera and sets the firmware it would have reported; returns id and token. */
  private static String[] camera(String id, String firmware) {
    String token = admin.provisionDevice(id, "camera");
    platform.execute("UPDATE devices SET firmware = ? WHERE id = ?", firmware, id);
    return new String[] {id, token};
  }

  /** Connects the device and has it answer every command it receives with {@code succeeded}. */
  private static MqttClient answering(String[] device) throws Exception {
    String id = device[0];
    MqttClient client = PahoDevices.v3(platform.mqttUri(), id, device[1]);
    client.subscribe(
        "devices/" + id + "/commands",
        1,
        (topic, message) -> {
          String commandId = JSON.readTree(message.getPayload()).get("commandId").asText();
          String result =
              "{\"commandId\":\"" + commandId + "\",\"status\":\"succeeded\",\"output\":{}}";
          // Answered from another thread: Paho may not publish from its callback thread.
          new Thread(
                  () -> {
                    try {
                      client.publish(
                          "devices/" + id + "/commands/result",
                          result.getBytes(StandardCharsets.UTF_8),
                          1,
                          false);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .start();
        });
    return client;
  }

  private static Map<String, Object> resetNetworkOnCameras241() {
    Map<String, Object> body = new HashMap<>();
    body.put("filter", Map.of("type", "camera", "firmware", "2.4.1"));
    body.put("command", "reset_network");
    return body;
  }

  private static Map<String, Object> confirmed(Map<String, Object> body, int count) {
    Map<String, Object> submission = new HashMap<>(body);
    submission.put("expectedCount", count);
    return submission;
  }

  @Test
  void previewCountsTheDevicesInServiceTheFilterMatchesAndChangesNothing() {
    long commandsBefore = platform.count("SELECT count(*) FROM commands");
    long batchesBefore = platform.count("SELECT count(*) FROM bulk_commands");

    ApiClient.Response preview =
        technician.post("/api/v1/bulk-commands/preview", resetNetworkOnCameras241());

    assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
    schemas.assertFits(preview, "/api/v1/bulk-commands/preview", "post");
    assertThat(preview.body().get("count").asInt()).isEqualTo(3);
    assertThat(preview.body().get("sample"))
        .extracting(JsonNode::asText)
        .containsExactly("bc-cam-1", "bc-cam-2", "bc-cam-3");
    assertThat(preview.body().get("command").asText()).isEqualTo("reset_network");
    assertThat(platform.count("SELECT count(*) FROM commands")).isEqualTo(commandsBefore);
    assertThat(platform.count("SELECT count(*) FROM bulk_commands")).isEqualTo(batchesBefore);
  }

  @Test
  void aCommandOrParamsASingleCommandWouldRefuseAreRefusedForTheBatch() {
    Map<String, Object> unknown = resetNetworkOnCameras241();
    unknown.put("command", "self_destruct");
    ApiClient.Response refused = technician.post("/api/v1/bulk-commands/preview", unknown);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("detail").asText()).contains("self_destruct");

    Map<String, Object> badParams = resetNetworkOnCameras241();
    badParams.put("command", "identify");
    badParams.put("params", Map.of("seconds", "long"));
    assertThat(technician.post("/api/v1/bulk-commands/preview", badParams).status()).isEqualTo(400);

    Map<String, Object> badFilter = resetNetworkOnCameras241();
    badFilter.put("filter", Map.of("colour", "red"));
    ApiClient.Response unknownFilter = technician.post("/api/v1/bulk-commands/preview", badFilter);
    assertThat(unknownFilter.status()).isEqualTo(400);
    assertThat(unknownFilter.body().get("detail").asText()).contains("filter.colour");
  }

  @Test
  void aFilterMatchingMoreThanABatchMayHoldIsRefusedNamingTheLimit() {
    Map<String, Object> allCameras = resetNetworkOnCameras241();
    allCameras.put("filter", Map.of("idPrefix", "bc-"));

    ApiClient.Response refused = technician.post("/api/v1/bulk-commands/preview", allCameras);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("detail").asText())
        .contains("more than 4 devices")
        .contains("commands.bulk.maxTargets");
  }

  @Test
  void aSubmissionWithAnotherCountThanTheFilterMatchesNowIsAConflictNamingTheCount() {
    long batchesBefore = platform.count("SELECT count(*) FROM bulk_commands");

    ApiClient.Response stale =
        technician.post("/api/v1/bulk-commands", confirmed(resetNetworkOnCameras241(), 2));

    assertThat(stale.status()).isEqualTo(409);
    schemas.assertFits(stale, "/api/v1/bulk-commands", "post");
    assertThat(stale.body().get("count").asInt()).isEqualTo(3);
    assertThat(platform.count("SELECT count(*) FROM bulk_commands")).isEqualTo(batchesBefore);
  }

  @Test
  void aViewerMayNotSendABulkCommandAndTheRefusalIsAudited() {
    ApiClient viewer = admin.as(admin.createStaff("bulk-viewer", "viewer"));

    ApiClient.Response refused =
        viewer.post("/api/v1/bulk-commands", confirmed(resetNetworkOnCameras241(), 3));

    assertThat(refused.status()).isEqualTo(403);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin
                        .get("/api/v1/audit?actor=bulk-viewer&action=bulk_command.submit")
                        .body()
                        .get("entries")
                        .size()
                    == 1);
    JsonNode entry =
        admin
            .get("/api/v1/audit?actor=bulk-viewer&action=bulk_command.submit")
            .body()
            .at("/entries/0");
    assertThat(entry.get("outcome").asText()).isEqualTo("denied");
    assertThat(
            platform.count("SELECT count(*) FROM bulk_commands WHERE created_by = 'bulk-viewer'"))
        .isZero();
  }

  @Test
  void eachDeviceGetsAnOrdinaryCommandAndTheBatchIsAuditedOnce() throws Exception {
    ApiClient.Response accepted =
        technician.post("/api/v1/bulk-commands", confirmed(resetNetworkOnCameras241(), 3));

    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    schemas.assertFits(accepted, "/api/v1/bulk-commands", "post");
    String id = accepted.body().get("id").asText();
    assertThat(accepted.body().get("total").asInt()).isEqualTo(3);

    // Connected devices run it; the offline one has it queued until it connects.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                statuses(id)
                    .equals(
                        Map.of(
                            "bc-cam-1",
                            "succeeded",
                            "bc-cam-2",
                            "succeeded",
                            "bc-cam-3",
                            "queued")));
    ApiClient.Response batch = admin.get("/api/v1/bulk-commands/" + id);
    schemas.assertFits(batch, "/api/v1/bulk-commands/{id}", "get");
    assertThat(batch.body().get("status").asText()).isEqualTo("done");
    assertThat(batch.body().get("submitted").asInt()).isEqualTo(3);
    assertThat(batch.body().get("createdBy").asText()).isEqualTo("bulk-tech");
    assertThat(batch.body().at("/filter/firmware").asText()).isEqualTo("2.4.1");
    for (JsonNode result : batch.body().get("results")) {
      JsonNode command = admin.get("/api/v1/commands/" + result.get("commandId").asText()).body();
      assertThat(command.get("name").asText()).isEqualTo("reset_network");
      assertThat(command.get("deviceId").asText()).isEqualTo(result.get("deviceId").asText());
      assertThat(command.get("requestedBy").asText()).isEqualTo("bulk-tech");
    }

    JsonNode entries =
        admin.get("/api/v1/audit?action=bulk_command.submit&actor=bulk-tech").body().get("entries");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).get("target").asText()).isEqualTo("bulk-command/" + id);
    assertThat(entries.get(0).at("/detail/count").asInt()).isEqualTo(3);
    assertThat(entries.get(0).at("/detail/command").asText()).isEqualTo("reset_network");
    assertThat(entries.get(0).at("/detail/filter/type").asText()).isEqualTo("camera");
    // The per-device commands add no entry of their own.
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'command.submit'"
                    + " AND target IN (SELECT 'command/' || command_id FROM bulk_command_targets"
                    + " WHERE bulk_id = ?)",
                id))
        .isZero();

    assertThat(admin.get("/api/v1/bulk-commands").body().at("/bulkCommands/0/id").asText())
        .isEqualTo(id);
    schemas.assertFits(admin.get("/api/v1/bulk-commands"), "/api/v1/bulk-commands", "get");
    assertThat(metrics())
        .contains("# HELP aftercare_bulk_commands_dispatched_total")
        .containsPattern("aftercare_bulk_commands_dispatched_total\\{outcome=\"submitted\"} [3-9]");
    assertThat(admin.get("/api/v1/bulk-commands/b-nothing").status()).isEqualTo(404);
  }

  private static String metrics() throws Exception {
    return TestHttp.CLIENT
        .send(
            TestHttp.request(
                    URI.create("http://127.0.0.1:" + platform.platform().httpPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Map<String, String> statuses(String id) {
    Map<String, String> statuses = new HashMap<>();
    for (JsonNode result : admin.get("/api/v1/bulk-commands/" + id).body().get("results")) {
      statuses.put(result.get("deviceId").asText(), result.get("status").asText());
    }
    return statuses;
  }
}
