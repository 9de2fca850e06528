package io.aftercare.platform.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code commands.secondApprover: firmware_rollback}, a rollback waits for another supervisor:
 * a real MQTT device gets nothing until the approval, then the command; a rejected or undecided one
 * never reaches it.
 */
class SecondApproverTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Object> ROLLBACK =
      Map.of("name", "firmware_rollback", "params", Map.of("version", "1.4.2"));

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient submitter;
  private static ApiClient approver;
  private static ApiClient technician;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("commands.secondApprover", "firmware_rollback"));
    admin = platform.api();
    submitter = admin.as(admin.createStaff("sat-sup-1", "supervisor"));
    approver = admin.as(admin.createStaff("sat-sup-2", "supervisor"));
    technician = admin.as(admin.createStaff("sat-tech", "technician"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static String submit(ApiClient caller, String deviceId, Map<String, Object> body) {
    ApiClient.Response response = caller.post("/api/v1/devices/" + deviceId + "/commands", body);
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return response.body().get("commandId").asText();
  }

  private static ApiClient.Response decide(ApiClient caller, String commandId, String decision) {
    return caller.post(
        "/api/v1/commands/" + commandId + "/approval",
        Map.of("decision", decision, "reason", "checked with the customer"));
  }

  private static JsonNode command(String commandId) {
    return admin.get("/api/v1/commands/" + commandId).body();
  }

  @Test
  void anUnapprovedCommandIsNotDeliveredAnApprovedOneIs() throws Exception {
    String token = admin.provisionDevice("sat-thermo", "thermostat");
    MqttClient device = PahoDevices.v3(platform.mqttUri(), "sat-thermo", token);
    BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    device.subscribe(
        "devices/sat-thermo/commands",
        1,
        (topic, message) -> received.add(JSON.readTree(message.getPayload())));

    String rollback = submit(submitter, "sat-thermo", ROLLBACK);
    assertThat(command(rollback).get("status").asText()).isEqualTo("awaiting_approval");
    assertThat(command(rollback).has("approvalDueAt")).isTrue();
    // A command submitted after it is delivered; had the rollback been deliverable, it would have
    // come first (commands reach a device in submission order).
    String identify =
        submit(technician, "sat-thermo", Map.of("name", "identify", "params", Map.of()));
    JsonNode first = received.poll(10, TimeUnit.SECONDS);
    assertThat(first).as("the ordinary command reaches the device").isNotNull();
    assertThat(first.get("commandId").asText()).isEqualTo(identify);
    assertThat(received).isEmpty();
    assertThat(command(rollback).get("status").asText()).isEqualTo("awaiting_approval");

    ApiClient.Response approved = decide(approver, rollback, "approve");

    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.body().get("decidedBy").asText()).isEqualTo("sat-sup-2");
    JsonNode delivered = received.poll(10, TimeUnit.SECONDS);
    assertThat(delivered).as("the approved command reaches the device").isNotNull();
    assertThat(delivered.get("commandId").asText()).isEqualTo(rollback);
    assertThat(delivered.at("/params/version").asText()).isEqualTo("1.4.2");
    device.disconnect();

    JsonNode transitions = command(rollback).get("transitions");
    assertThat(transitions.get(0).get("to").asText()).isEqualTo("awaiting_approval");
    assertThat(transitions.get(1).get("from").asText()).isEqualTo("awaiting_approval");
    assertThat(transitions.get(1).get("to").asText()).isEqualTo("queued");
    assertThat(transitions.get(1).get("actor").asText()).isEqualTo("sat-sup-2");
    JsonNode audit = admin.get("/api/v1/audit?action=command.approve&actor=sat-sup-2").body();
    assertThat(audit.at("/entries/0/target").asText()).isEqualTo("command/" + rollback);
    assertThat(audit.at("/entries/0/detail/requestedBy").asText()).isEqualTo("sat-sup-1");
  }

  @Test
  void theSubmitterCannotApproveTheirOwnCommandNorCanATechnician() {
    admin.provisionDevice("sat-plug", "smart_plug");
    String rollback = submit(submitter, "sat-plug", ROLLBACK);

    assertThat(decide(submitter, rollback, "approve").status()).isEqualTo(403);
    assertThat(decide(technician, rollback, "approve").status()).isEqualTo(403);

    assertThat(command(rollback).get("status").asText()).isEqualTo("awaiting_approval");
    // A refusal is audited beside the 403, not before it: the entry may land a moment later.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        admin
                            .get("/api/v1/audit?action=command.approve&actor=sat-sup-1")
                            .body()
                            .at("/entries/0/outcome")
                            .asText())
                    .isEqualTo("denied"));
  }

  @Test
  void aRejectedCommandEndsAndCannotBeApprovedLater() {
    admin.provisionDevice("sat-lock", "door_lock");
    String rollback = submit(submitter, "sat-lock", ROLLBACK);

    ApiClient.Response rejected = decide(approver, rollback, "reject");

    assertThat(rejected.status()).isEqualTo(200);
    assertThat(rejected.body().get("status").asText()).isEqualTo("rejected");
    assertThat(decide(admin, rollback, "approve").status()).isEqualTo(409);
    JsonNode audit = admin.get("/api/v1/audit?action=command.reject&actor=sat-sup-2").body();
    assertThat(audit.at("/entries/0/detail/reason").asText())
        .isEqualTo("checked with the customer");
  }

  @Test
  void anUndecidedCommandExpiresAtItsApprovalTime() {
    admin.provisionDevice("sat-cam", "camera");
    String rollback = submit(submitter, "sat-cam", ROLLBACK);
    // The approval time (commands.approvalTimeout, 1 h) has passed.
    platform.execute(
        "UPDATE commands SET approval_due_at = now() - interval '1 second' WHERE id = ?", rollback);

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> command(rollback).get("status").asText().equals("expired"));
    JsonNode last = command(rollback).get("transitions").get(1);
    assertThat(last.get("note").asText()).isEqualTo("not approved in time");
    assertThat(decide(approver, rollback, "approve").status()).isEqualTo(409);
  }

  @Test
  void aDecisionMustBeApproveOrReject() {
    admin.provisionDevice("sat-hub", "hub");
    String rollback = submit(submitter, "sat-hub", ROLLBACK);

    ApiClient.Response bad =
        approver.post("/api/v1/commands/" + rollback + "/approval", Map.of("decision", "maybe"));

    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().get("detail").asText()).contains("decision");
    assertThat(decide(approver, "c-0000000000000000", "approve").status()).isEqualTo(404);
  }

  @Test
  void commandsNotListedAreQueuedAtOnce() {
    admin.provisionDevice("sat-fridge", "fridge");
    String reboot = submit(technician, "sat-fridge", Map.of("name", "reboot", "params", Map.of()));

    assertThat(command(reboot).get("status").asText()).isEqualTo("queued");
    assertThat(decide(approver, reboot, "approve").status()).isEqualTo(409);
  }
}
