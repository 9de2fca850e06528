package io.aftercare.platform.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * A device in maintenance is left alone by the platform's watch: no {@code device_offline} alarm
 * and no ticket, while an active device in the same condition gets both (REST API, real database,
 * real MQTT).
 */
class DeviceMaintenanceTest {

  @Test
  void aDeviceInMaintenanceRaisesNoOfflineAlarmAndGetsNoTicket() {
    try (TestPlatform platform = TestPlatform.start(Map.of("diagnostics.tickInterval", "200ms"))) {
      ApiClient admin = platform.api();
      admin.provisionDevice("mnt-active", "hub");
      admin.provisionDevice("mnt-worked-on", "hub");
      assertThat(
              admin
                  .patch("/api/v1/devices/mnt-worked-on", Map.of("serviceState", "maintenance"))
                  .status())
          .isEqualTo(200);

      // Both went silent 20 minutes ago: the first tick after the restart judges their absence.
      Instant silentSince = Instant.now().minus(Duration.ofMinutes(20));
      platform.restart(
          () -> {
            platform.execute(
                "UPDATE devices SET last_seen_at = ? WHERE id IN ('mnt-active', 'mnt-worked-on')",
                Timestamp.from(silentSince));
            platform.execute("UPDATE platform_heartbeat SET listened_at = now()");
          });

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> platform.api().get("/api/v1/tickets?deviceId=mnt-active").body().get("tickets"),
              found -> found.size() == 1);
      ApiClient api = platform.api();
      assertThat(api.get("/api/v1/alarms?deviceId=mnt-active").body().get("alarms")).isNotEmpty();
      assertThat(api.get("/api/v1/alarms?deviceId=mnt-worked-on").body().get("alarms")).isEmpty();
      assertThat(api.get("/api/v1/tickets?deviceId=mnt-worked-on").body().get("tickets")).isEmpty();
    }
  }

  @Test
  void aFaultOfADeviceInMaintenanceIsRecordedButOpensNoTicket() throws Exception {
    try (TestPlatform platform = TestPlatform.start()) {
      ApiClient admin = platform.api();
      String activeToken = admin.provisionDevice("mnt-fridge-active", "fridge");
      String workedOnToken = admin.provisionDevice("mnt-fridge-worked-on", "fridge");
      admin.patch("/api/v1/devices/mnt-fridge-worked-on", Map.of("serviceState", "maintenance"));

      // Both warm for 40 minutes with the door shut: fridge_warm, which has no remedy to try.
      warm(platform, "mnt-fridge-worked-on", workedOnToken);
      warm(platform, "mnt-fridge-active", activeToken);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> admin.get("/api/v1/tickets?deviceId=mnt-fridge-active").body().get("tickets"),
              found -> found.size() == 1);
      assertThat(admin.get("/api/v1/alarms?deviceId=mnt-fridge-worked-on").body().get("alarms"))
          .isNotEmpty();
      assertThat(admin.get("/api/v1/tickets?deviceId=mnt-fridge-worked-on").body().get("tickets"))
          .isEmpty();
    }
  }

  private static void warm(TestPlatform platform, String id, String token) throws Exception {
    MqttClient fridge = PahoDevices.v3(platform.mqttUri(), id, token);
    Instant t0 = Instant.now().minus(Duration.ofHours(2));
    StringBuilder documents = new StringBuilder("[");
    for (int minute = 0; minute <= 40; minute += 5) {
      documents
          .append(minute == 0 ? "" : ",")
          .append("{\"ts\":\"")
          .append(t0.plusSeconds(minute * 60L))
          .append("\",\"metrics\":{\"fridge_temp_c\":9.5,\"door_open\":false}}");
    }
    fridge.publish(
        "devices/" + id + "/telemetry",
        documents.append("]").toString().getBytes(StandardCharsets.UTF_8),
        1,
        false);
    fridge.disconnect();
    fridge.close();
  }
}
