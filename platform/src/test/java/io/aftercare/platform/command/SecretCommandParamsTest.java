package io.aftercare.platform.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secret parameter values (a Wi-Fi passphrase, a keypad PIN) reach the device, a real MQTT client,
 * unchanged, while every staff read and the audit log show {@code "***"}.
 */
class SecretCommandParamsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSPHRASE = "correct horse battery staple";

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient technician;
  private static ApiClient viewer;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    technician = admin.as(admin.createStaff("scp-tech", "technician"));
    viewer = admin.as(admin.createStaff("scp-viewer", "viewer"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theDeviceGetsThePassphraseAndStaffSeeItMasked() throws Exception {
    String token = admin.provisionDevice("scp-thermo", "thermostat");
    MqttClient device = PahoDevices.v3(platform.mqttUri(), "scp-thermo", token);
    BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    device.subscribe(
        "devices/scp-thermo/commands",
        1,
        (topic, message) -> received.add(JSON.readTree(message.getPayload())));

    ApiClient.Response submitted =
        technician.post(
            "/api/v1/devices/scp-thermo/commands",
            Map.of(
                "name",
                "set_config",
                "params",
                Map.of("key", "wifi_passphrase", "value", PASSPHRASE)));
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
    String commandId = submitted.body().get("commandId").asText();

    JsonNode delivered = received.poll(10, TimeUnit.SECONDS);
    assertThat(delivered).as("the command reaches the device").isNotNull();
    assertThat(delivered.at("/params/value").asText()).isEqualTo(PASSPHRASE);
    device.disconnect();

    for (ApiClient reader : new ApiClient[] {viewer, technician, admin}) {
      JsonNode detail = reader.get("/api/v1/commands/" + commandId).body();
      assertThat(detail.at("/params/key").asText()).isEqualTo("wifi_passphrase");
      assertThat(detail.at("/params/value").asText()).isEqualTo("***");
      JsonNode listed = reader.get("/api/v1/devices/scp-thermo/commands").body();
      assertThat(listed.at("/commands/0/params/value").asText()).isEqualTo("***");
      assertThat(listed.toString()).doesNotContain(PASSPHRASE);
    }
    JsonNode audit = admin.get("/api/v1/audit?action=command.submit&actor=scp-tech").body();
    assertThat(audit.at("/entries/0/detail/params/key").asText()).isEqualTo("wifi_passphrase");
    assertThat(audit.at("/entries/0/detail/params/value").asText()).isEqualTo("***");
    assertThat(audit.toString()).doesNotContain(PASSPHRASE);
  }

  @Test
  void aSettingThatIsNotSecretStaysReadable() {
    admin.provisionDevice("scp-plug", "smart_plug");
    ApiClient.Response submitted =
        technician.post(
            "/api/v1/devices/scp-plug/commands",
            Map.of("name", "set_config", "params", Map.of("key", "relay_on", "value", "false")));
    assertThat(submitted.status()).isEqualTo(202);

    JsonNode detail =
        viewer.get("/api/v1/commands/" + submitted.body().get("commandId").asText()).body();
    assertThat(detail.at("/params/value").asText()).isEqualTo("false");
  }

  @Test
  void bulkBatchesAndTheirAuditEntryMaskThePin() {
    admin.provisionDevice("scp-lock-1", "door_lock");
    admin.provisionDevice("scp-lock-2", "door_lock");
    Map<String, Object> body = new HashMap<>();
    body.put("filter", Map.of("idPrefix", "scp-lock-"));
    body.put("command", "set_config");
    body.put("params", Map.of("key", "keypad_pin", "value", "482915"));
    body.put("expectedCount", 2);

    ApiClient.Response submitted = technician.post("/api/v1/bulk-commands", body);
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);

    JsonNode batch =
        viewer.get("/api/v1/bulk-commands/" + submitted.body().get("id").asText()).body();
    assertThat(batch.at("/params/value").asText()).isEqualTo("***");
    assertThat(viewer.get("/api/v1/bulk-commands").body().toString()).doesNotContain("482915");
    JsonNode audit = admin.get("/api/v1/audit?action=bulk_command.submit&actor=scp-tech").body();
    assertThat(audit.at("/entries/0/detail/params/value").asText()).isEqualTo("***");
    assertThat(audit.toString()).doesNotContain("482915");
  }
}
