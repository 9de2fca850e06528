package io.aftercare.platform.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A device in maintenance is left alone by the platform's watch: no {@code device_offline} alarm
 * and no ticket, while an active device silent as long gets both (REST API, real database).
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
}
