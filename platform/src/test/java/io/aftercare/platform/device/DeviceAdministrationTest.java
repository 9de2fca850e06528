package io.aftercare.platform.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Device administration through the REST API and the real device channels: attributes, the service
 * state, token rotation, the firmware a device reports and the firmware inventory.
 */
class DeviceAdministrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("diagnostics.tickInterval", "200ms"));
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aSupervisorEditsAttributesAndTheChangeIsAudited() {
    admin.provisionDevice("adm-plug", "smart_plug");
    ApiClient supervisor = admin.as(admin.createStaff("adm-supervisor", "supervisor"));

    Map<String, Object> changes = new HashMap<>();
    changes.put("model", "P-2");
    changes.put("homeId", "home-7");
    changes.put("customerRef", "cust-7");
    changes.put("customerTier", "vip");
    changes.put("soldOn", "2026-01-15");
    changes.put("region", "north");
    ApiClient.Response edited = supervisor.patch("/api/v1/devices/adm-plug", changes);

    assertThat(edited.status()).isEqualTo(200);
    JsonNode device = admin.get("/api/v1/devices/adm-plug").body();
    assertThat(device.get("model").asText()).isEqualTo("P-2");
    assertThat(device.get("homeId").asText()).isEqualTo("home-7");
    assertThat(device.get("customerTier").asText()).isEqualTo("vip");
    assertThat(device.get("soldOn").asText()).isEqualTo("2026-01-15");
    assertThat(device.get("serviceState").asText()).isEqualTo("active");
    assertThat(device.get("region").asText()).isEqualTo("north");
    assertThat(
            admin.get("/api/v1/devices?region=north").body().get("devices").findValuesAsText("id"))
        .containsExactly("adm-plug");
    JsonNode entries = admin.get("/api/v1/audit?actor=adm-supervisor").body().get("entries");
    assertThat(entries.findValuesAsText("action")).contains("device.edit");

    Map<String, Object> cleared = new HashMap<>();
    cleared.put("model", null);
    supervisor.patch("/api/v1/devices/adm-plug", cleared);
    assertThat(admin.get("/api/v1/devices/adm-plug").body().has("model")).isFalse();
  }

  @Test
  void badEditsAreRefusedNamingTheField() {
    admin.provisionDevice("adm-bad", "smart_plug");
    ApiClient viewer = admin.as(admin.createStaff("adm-viewer", "viewer"));
    ApiClient supervisor = admin.as(admin.createStaff("adm-supervisor2", "supervisor"));

    ApiClient.Response unknown = admin.patch("/api/v1/devices/adm-bad", Map.of("colour", "red"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().get("detail").asText()).contains("colour");
    ApiClient.Response state =
        admin.patch("/api/v1/devices/adm-bad", Map.of("serviceState", "retired"));
    assertThat(state.status()).isEqualTo(400);
    assertThat(state.body().get("detail").asText()).contains("serviceState");
    assertThat(admin.patch("/api/v1/devices/adm-bad", Map.of("firmware", "9")).status())
        .isEqualTo(400);
    assertThat(admin.patch("/api/v1/devices/nobody", Map.of("model", "x")).status()).isEqualTo(404);
    assertThat(viewer.patch("/api/v1/devices/adm-bad", Map.of("model", "x")).status())
        .isEqualTo(403);
    // Decommissioning, like provisioning, takes an admin.
    assertThat(
            supervisor
                .patch("/api/v1/devices/adm-bad", Map.of("serviceState", "decommissioned"))
                .status())
        .isEqualTo(403);
    assertThat(supervisor.post("/api/v1/devices/adm-bad/token", Map.of()).status()).isEqualTo(403);
  }

  @Test
  void aDecommissionedDeviceIsRefusedOnConnectOverMqttAndCoap() throws Exception {
    String token = admin.provisionDevice("adm-retired", "smart_plug");
    PahoDevices.v3(platform.mqttUri(), "adm-retired", token).disconnect();

    assertThat(
            admin
                .patch("/api/v1/devices/adm-retired", Map.of("serviceState", "decommissioned"))
                .status())
        .isEqualTo(200);

    // MQTT 5: 0x87 Not authorized (the token is right; the device may no longer connect).
    assertThatThrownBy(() -> PahoDevices.v5(platform.mqttUri(), "adm-retired", token))
        .isInstanceOfSatisfying(
            org.eclipse.paho.mqttv5.common.MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
    assertThatThrownBy(() -> PahoDevices.v3(platform.mqttUri(), "adm-retired", token))
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
    try (CoapDevice coap = CoapDevice.plain(platform.coapUri())) {
      CoapResponse response =
          coap.postJson(
              "/devices/adm-retired/telemetry?token=" + token, "{\"metrics\": {\"power_w\": 1}}");
      assertThat(response.getCode()).isEqualTo(CoAP.ResponseCode.FORBIDDEN);
    }

    // Back in service, the same token connects again.
    admin.patch("/api/v1/devices/adm-retired", Map.of("serviceState", "active"));
    PahoDevices.v3(platform.mqttUri(), "adm-retired", token).disconnect();
  }

  @Test
  void aRotatedTokenWorksAndTheOldOneIsRefused() throws Exception {
    String old = admin.provisionDevice("adm-rotate", "camera");
    PahoDevices.v3(platform.mqttUri(), "adm-rotate", old).disconnect();

    ApiClient.Response rotated = admin.post("/api/v1/devices/adm-rotate/token", Map.of());

    assertThat(rotated.status()).isEqualTo(200);
    String fresh = rotated.body().get("token").asText();
    assertThat(fresh).isNotEqualTo(old);
    assertThatThrownBy(() -> PahoDevices.v3(platform.mqttUri(), "adm-rotate", old))
        .isInstanceOf(MqttException.class);
    PahoDevices.v3(platform.mqttUri(), "adm-rotate", fresh).disconnect();
    JsonNode entries = admin.get("/api/v1/audit?limit=1000").body().get("entries");
    assertThat(entries.findValuesAsText("target")).contains("device/adm-rotate");
    assertThat(entries.findValuesAsText("action")).contains("device.token");
    // The token itself is never stored: only its salted hash.
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE detail::text LIKE ?", "%" + fresh + "%"))
        .isZero();
  }

  @Test
  void theFirmwareFollowsWhatTheDeviceReportsAndTheInventoryCountsIt() throws Exception {
    Map<String, String> tokens = new HashMap<>();
    for (String id : new String[] {"inv-cam-1", "inv-cam-2", "inv-cam-3"}) {
      ApiClient.Response provisioned =
          admin.post(
              "/api/v1/devices",
              Map.of("id", id, "type", "inventory_cam", "model", "C-9", "firmware", "2.4.0"));
      tokens.put(id, provisioned.body().get("token").asText());
    }
    MqttClient camera = PahoDevices.v3(platform.mqttUri(), "inv-cam-1", tokens.get("inv-cam-1"));
    camera.publish(
        "devices/inv-cam-1/events",
        JSON.writeValueAsBytes(
            Map.of("type", "boot", "data", Map.of("firmware", "2.4.1", "reason", "update"))),
        1,
        false);
    camera.disconnect();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> admin.get("/api/v1/devices/inv-cam-1").body().get("firmware").asText(),
            "2.4.1"::equals);
    JsonNode entries = admin.get("/api/v1/audit?actor=device:inv-cam-1").body().get("entries");
    assertThat(entries.findValuesAsText("action")).contains("device.firmware");

    JsonNode inventory = admin.get("/api/v1/firmware?type=inventory_cam").body().get("firmware");
    assertThat(inventory).hasSize(2);
    assertThat(inventory.get(0).get("model").asText()).isEqualTo("C-9");
    assertThat(inventory.get(0).get("firmware").asText()).isEqualTo("2.4.0");
    assertThat(inventory.get(0).get("devices").asLong()).isEqualTo(2);
    assertThat(inventory.get(1).get("firmware").asText()).isEqualTo("2.4.1");
    assertThat(inventory.get(1).get("devices").asLong()).isEqualTo(1);

    // A decommissioned device no longer counts.
    admin.patch("/api/v1/devices/inv-cam-3", Map.of("serviceState", "decommissioned"));
    JsonNode after = admin.get("/api/v1/firmware?type=inventory_cam").body().get("firmware");
    assertThat(after.get(0).get("devices").asLong()).isEqualTo(1);
  }
}
