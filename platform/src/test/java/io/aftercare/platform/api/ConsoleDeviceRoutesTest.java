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
import java.util.HashMap;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the console's pages read beyond the older routes: health and open alarms on the fleet list's
 * rows, a device's command catalog, its connectivity changes.
 */
class ConsoleDeviceRoutesTest {

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient viewer;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    viewer = admin.as(admin.createStaff("viewer-1", "viewer"));
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  private static MqttClient connect(String id, String type) throws Exception {
    return PahoDevices.v3(platform.mqttUri(), id, admin.provisionDevice(id, type));
  }

  private static void publish(MqttClient device, String suffix, String json) throws Exception {
    device.publish(
        "devices/" + device.getClientId() + "/" + suffix,
        json.getBytes(StandardCharsets.UTF_8),
        1,
        false);
  }

  @Test
  void fleetRowsCarryTheDevicePagesHealthScoreAndTheOpenAlarmsCount() throws Exception {
    MqttClient fridge = connect("cr-warm", "fridge");
    admin.provisionDevice("cr-never", "fridge");
    Instant t0 = Instant.now().minus(Duration.ofMinutes(45));
    for (int minute = 0; minute <= 45; minute += 5) {
      publish(
          fridge,
          "telemetry",
          "{\"ts\":\""
              + t0.plusSeconds(minute * 60L)
              + "\",\"metrics\":{\"fridge_temp_c\":9.5,\"door_open\":false}}");
    }
    // More than one rule may fire as the points arrive: compare once list and page agree.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              JsonNode row = row("cr-warm");
              JsonNode page = admin.get("/api/v1/devices/cr-warm").body();
              return row.path("openAlarms").asInt() > 0
                  && row.get("openAlarms").asInt() == page.get("openAlarms").size()
                  && row.get("health").asInt() == page.at("/health/score").asInt();
            });
    assertThat(row("cr-warm").get("health").asInt()).isLessThan(100);
    JsonNode never = row("cr-never");
    assertThat(never.get("openAlarms").asInt()).isZero();
    assertThat(never.get("health").asInt())
        .isEqualTo(admin.get("/api/v1/devices/cr-never").body().at("/health/score").asInt())
        .isEqualTo(90);
    fridge.disconnect();
    fridge.close();
  }

  private static JsonNode row(String id) {
    JsonNode devices = viewer.get("/api/v1/devices?idPrefix=" + id).body().get("devices");
    assertThat(devices).hasSize(1);
    return devices.get(0);
  }

  @Test
  void theCommandCatalogOfADeviceNamesRolesTimingsAndParameters() {
    admin.provisionDevice("cr-plug", "smart_plug");

    ApiClient.Response answer = viewer.get("/api/v1/devices/cr-plug/command-catalog");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().get("deviceType").asText()).isEqualTo("smart_plug");
    Map<String, JsonNode> commands = new HashMap<>();
    answer.body().get("commands").forEach(c -> commands.put(c.get("name").asText(), c));
    assertThat(commands).containsKeys("identify", "run_self_test", "set_config");
    JsonNode identify = commands.get("identify");
    assertThat(identify.get("risk").asText()).isEqualTo("low");
    assertThat(identify.get("requiredRole").asText()).isEqualTo("technician");
    assertThat(identify.get("ttlSeconds").asLong()).isEqualTo(600);
    assertThat(identify.get("deliveryTimeoutSeconds").asLong()).isEqualTo(60);
    JsonNode seconds = identify.at("/params/seconds");
    assertThat(seconds.get("type").asText()).isEqualTo("integer");
    assertThat(seconds.get("required").asBoolean()).isFalse();
    assertThat(seconds.get("min").asDouble()).isEqualTo(1);
    assertThat(seconds.get("max").asDouble()).isEqualTo(120);
    assertThat(commands.get("run_self_test").at("/params/component/enum"))
        .extracting(JsonNode::asText)
        .contains("all", "sensors");
    assertThat(commands.get("set_config").at("/params/key/required").asBoolean()).isTrue();
    assertThat(commands.get("set_config").at("/params/key/pattern").asText()).isNotEmpty();
    assertThat(commands.get("firmware_rollback").get("requiredRole").asText())
        .isEqualTo("supervisor");
    // Each command's class (docs/privacy.md, "Support sessions"); this platform runs without
    // owner consent (commands.requireOwnerConsent: false), so none needs it here.
    assertThat(identify.get("commandClass").asText()).isEqualTo("diagnostics");
    assertThat(identify.get("needsConsent").asBoolean()).isFalse();
    assertThat(commands.get("reboot").get("commandClass").asText()).isEqualTo("restart");
    assertThat(commands.get("reboot").get("needsConsent").asBoolean()).isFalse();
    assertThat(commands.get("set_config").has("commandClass")).isFalse();
    assertThat(commands.get("set_config").get("needsConsent").asBoolean()).isFalse();
    assertThat(answer.body().at("/configKeyClasses/relay_on").asText()).isEqualTo("settings");
    assertThat(answer.body().at("/configKeyClasses/wifi_passphrase").asText()).isEqualTo("network");

    ApiClient.Response missing = viewer.get("/api/v1/devices/no-such/command-catalog");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
    assertThat(admin.as(null).get("/api/v1/devices/cr-plug/command-catalog").status())
        .isEqualTo(401);
  }

  @Test
  void connectivityGivesTheChangesInTheWindowAndTheStateBeforeIt() throws Exception {
    MqttClient lamp = connect("cr-lamp", "smart_plug");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> admin.get("/api/v1/devices/cr-lamp").body().get("online").asBoolean());
    lamp.disconnect();
    lamp.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !admin.get("/api/v1/devices/cr-lamp").body().get("online").asBoolean());

    JsonNode day = viewer.get("/api/v1/devices/cr-lamp/connectivity").body();
    assertThat(day.get("changes"))
        .extracting(c -> c.get("online").asBoolean())
        .containsExactly(true, false);
    assertThat(day.get("changes").get(0).get("protocol").asText()).isEqualTo("mqtt");
    assertThat(day.has("before")).isFalse();
    assertThat(day.get("truncated").asBoolean()).isFalse();

    Instant afterBoth = Instant.parse(day.at("/changes/1/ts").asText()).plusMillis(1);
    JsonNode later = viewer.get("/api/v1/devices/cr-lamp/connectivity?from=" + afterBoth).body();
    assertThat(later.get("changes")).isEmpty();
    assertThat(later.at("/before/online").asBoolean()).isFalse();

    assertThat(viewer.get("/api/v1/devices/no-such/connectivity").status()).isEqualTo(404);
    assertThat(viewer.get("/api/v1/devices/cr-lamp/connectivity?since=1").status()).isEqualTo(400);
  }
}
