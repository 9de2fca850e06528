package io.aftercare.platform.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The stored firmware version follows what the device reports after a firmware command, so tickets
 * and rules see the version it really runs.
 */
class FirmwareAfterCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() throws Exception {
    Path rulesDir = Files.createTempDirectory("aftercare-rules");
    // Two rules on the same reading: one for every device, one only for devices on 1.9.4.
    Files.writeString(
        rulesDir.resolve("firmware.yaml"),
        String.join(
            "\n",
            "rules:",
            "  - id: hub_hot",
            "    kind: threshold",
            "    metric: temperature_c",
            "    levels: [{severity: minor, when: \"value > 80\"}]",
            "    category: device_fault",
            "  - id: hub_hot_on_1_9_4",
            "    kind: threshold",
            "    device: 'device.firmware == \"1.9.4\"'",
            "    metric: temperature_c",
            "    levels: [{severity: major, when: \"value > 80\"}]",
            "    category: software",
            ""));
    platform = TestPlatform.start(Map.of("diagnostics.rulesDir", rulesDir.toString()));
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aSuccessfulRollbackStoresTheVersionTheDeviceReports() throws Exception {
    MqttClient device = provisionAndConnect("plug-fw", "2.0.0");
    BlockingQueue<JsonNode> commands = commandsOf(device, "plug-fw");

    String commandId = rollback("plug-fw", Map.of());
    assertThat(commands.poll(10, TimeUnit.SECONDS)).isNotNull();
    answer(device, "plug-fw", commandId, "accepted", JSON.createObjectNode());
    answer(
        device,
        "plug-fw",
        commandId,
        "succeeded",
        JSON.createObjectNode().put("firmware", "1.9.4"));

    await().atMost(Duration.ofSeconds(10)).until(() -> firmware("plug-fw").equals("1.9.4"));
    assertThat(admin.get("/api/v1/audit?actor=device:plug-fw").body().findValuesAsText("action"))
        .contains("device.firmware");
    // The firmware regression guard counts each version's device-days from this history.
    assertThat(
            platform.count(
                "SELECT count(*) FROM device_firmware_changes WHERE device_id = 'plug-fw'"
                    + " AND previous = '2.0.0' AND firmware = '1.9.4'"))
        .isEqualTo(1);
    device.disconnect();
  }

  @Test
  void rulesSelectingByFirmwareSeeTheVersionAfterTheRollback() throws Exception {
    MqttClient device = provisionAndConnect("hub-rules-fw", "2.0.0");
    BlockingQueue<JsonNode> commands = commandsOf(device, "hub-rules-fw");
    publishTemperature(device, "hub-rules-fw", 90);
    // Evaluated on 2.0.0: only the rule for every device applies.
    await().atMost(Duration.ofSeconds(10)).until(() -> openAlarms("hub-rules-fw", "hub_hot") == 1);

    String commandId = rollback("hub-rules-fw", Map.of());
    assertThat(commands.poll(10, TimeUnit.SECONDS)).isNotNull();
    answer(
        device,
        "hub-rules-fw",
        commandId,
        "succeeded",
        JSON.createObjectNode().put("firmware", "1.9.4"));
    await().atMost(Duration.ofSeconds(10)).until(() -> firmware("hub-rules-fw").equals("1.9.4"));
    publishTemperature(device, "hub-rules-fw", 91);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> openAlarms("hub-rules-fw", "hub_hot_on_1_9_4") == 1);
    device.disconnect();
  }

  @Test
  void aRollbackThatSucceedsWithoutSayingRunsTheVersionItWasAskedFor() throws Exception {
    MqttClient device = provisionAndConnect("lock-fw", "3.1.0");
    BlockingQueue<JsonNode> commands = commandsOf(device, "lock-fw");

    String commandId = rollback("lock-fw", Map.of("version", "3.0.2"));
    assertThat(commands.poll(10, TimeUnit.SECONDS)).isNotNull();
    answer(device, "lock-fw", commandId, "succeeded", JSON.createObjectNode());

    await().atMost(Duration.ofSeconds(10)).until(() -> firmware("lock-fw").equals("3.0.2"));
    device.disconnect();
  }

  @Test
  void aFailedRollbackLeavesTheVersionAlone() throws Exception {
    MqttClient device = provisionAndConnect("hub-fw", "5.0.0");
    BlockingQueue<JsonNode> commands = commandsOf(device, "hub-fw");

    String commandId = rollback("hub-fw", Map.of("version", "4.0.0"));
    assertThat(commands.poll(10, TimeUnit.SECONDS)).isNotNull();
    answer(device, "hub-fw", commandId, "failed", JSON.createObjectNode().put("firmware", "5.0.0"));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin
                    .get("/api/v1/commands/" + commandId)
                    .body()
                    .get("status")
                    .asText()
                    .equals("failed"));
    assertThat(firmware("hub-fw")).isEqualTo("5.0.0");
    assertThat(
            platform.count(
                "SELECT count(*) FROM device_firmware_changes WHERE device_id = 'hub-fw'"))
        .isZero();
    device.disconnect();
  }

  private static MqttClient provisionAndConnect(String id, String firmware) throws Exception {
    ApiClient.Response provisioned =
        admin.post("/api/v1/devices", Map.of("id", id, "type", "hub", "firmware", firmware));
    assertThat(provisioned.status()).isEqualTo(201);
    return PahoDevices.v3(platform.mqttUri(), id, provisioned.body().get("token").asText());
  }

  private static BlockingQueue<JsonNode> commandsOf(MqttClient device, String id) throws Exception {
    BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    device.subscribe(
        "devices/" + id + "/commands",
        1,
        (topic, message) -> received.add(JSON.readTree(message.getPayload())));
    return received;
  }

  private static String rollback(String id, Map<String, String> params) {
    ApiClient.Response submitted =
        admin.post(
            "/api/v1/devices/" + id + "/commands",
            Map.of("name", "firmware_rollback", "params", params, "ttlSeconds", 600));
    assertThat(submitted.status()).isEqualTo(202);
    return submitted.body().get("commandId").asText();
  }

  private static void answer(
      MqttClient device, String id, String commandId, String status, ObjectNode output)
      throws Exception {
    ObjectNode result = JSON.createObjectNode().put("commandId", commandId).put("status", status);
    result.set("output", output);
    device.publish("devices/" + id + "/commands/result", JSON.writeValueAsBytes(result), 1, false);
  }

  private static void publishTemperature(MqttClient device, String id, double celsius)
      throws Exception {
    ObjectNode document = JSON.createObjectNode();
    document.putObject("metrics").put("temperature_c", celsius);
    device.publish("devices/" + id + "/telemetry", JSON.writeValueAsBytes(document), 1, false);
  }

  private static int openAlarms(String id, String ruleId) {
    return admin
        .get("/api/v1/alarms?status=open&deviceId=" + id + "&ruleId=" + ruleId)
        .body()
        .get("alarms")
        .size();
  }

  private static String firmware(String id) {
    return admin.get("/api/v1/devices/" + id).body().get("firmware").asText();
  }
}
