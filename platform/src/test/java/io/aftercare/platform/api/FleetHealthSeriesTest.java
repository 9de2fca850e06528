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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet health trend end to end: fridges provisioned with a model and firmware raise real
 * alarms over MQTT; one of them reports a new firmware between two alarms; the series attributes
 * each alarm to the firmware the fridge ran when it was raised.
 */
class FleetHealthSeriesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static TestPlatform platform;
  private static ApiClient admin;
  private static final List<MqttClient> devices = new ArrayList<>();

  @BeforeAll
  static void raiseAlarmsAcrossAFirmwareUpgrade() throws Exception {
    platform = TestPlatform.start();
    admin = platform.api();
    MqttClient upgraded = fridge("trend-a", "FR-200", "1.0");
    fridge("trend-b", "FR-200", "1.0");
    fridge("trend-c", "FR-300", "2.0");

    warm(upgraded, "trend-a", Instant.now().minus(Duration.ofHours(3)));
    await().atMost(WAIT).until(() -> alarms("trend-a") == 1);
    report(upgraded, "trend-a", Instant.now().minus(Duration.ofMinutes(130)), 4.0);
    await()
        .atMost(WAIT)
        .until(() -> platform.count("SELECT count(*) FROM alarms WHERE status = 'cleared'") == 1);

    upgraded.publish(
        "devices/trend-a/events",
        "{\"type\":\"boot\",\"data\":{\"firmware\":\"1.1\",\"reason\":\"update\"}}"
            .getBytes(StandardCharsets.UTF_8),
        1,
        false);
    await()
        .atMost(WAIT)
        .until(
            () -> admin.get("/api/v1/devices/trend-a").body().get("firmware").asText(),
            "1.1"::equals);
    warm(upgraded, "trend-a", Instant.now().minus(Duration.ofMinutes(80)));
    await().atMost(WAIT).until(() -> alarms("trend-a") == 2);
  }

  @AfterAll
  static void stop() throws Exception {
    for (MqttClient device : devices) {
      if (device.isConnected()) {
        device.disconnect();
      }
      device.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void eachAlarmCountsForTheFirmwareItsDeviceRanWhenItWasRaised() {
    JsonNode series = threeDays("firmware");
    assertThat(series.get("groupBy").asText()).isEqualTo("firmware");
    assertThat(series.get("days")).hasSize(3);

    assertThat(total(series, "1.0", "alarmsRaised")).isEqualTo(1);
    assertThat(total(series, "1.1", "alarmsRaised")).isEqualTo(1);
    assertThat(total(series, "2.0", "alarmsRaised")).isZero();
    assertThat(total(series, "1.0", "devicesWithAlarm")).isEqualTo(1);
    assertThat(total(series, "1.1", "devicesWithAlarm")).isEqualTo(1);

    // The boot event's version is kept with the one it replaced (the firmware guard's history).
    assertThat(
            platform.count(
                "SELECT count(*) FROM device_firmware_changes WHERE device_id = 'trend-a'"
                    + " AND previous = '1.0' AND firmware = '1.1'"))
        .isEqualTo(1);

    // The denominator groups by what the devices run now: trend-a counts for 1.1 on every day.
    JsonNode today = lastDay(series);
    assertThat(group(today, "1.0").get("devices").asLong()).isEqualTo(1);
    assertThat(group(today, "1.1").get("devices").asLong()).isEqualTo(1);
    assertThat(group(today, "2.0").get("devices").asLong()).isEqualTo(1);
    assertThat(group(today, "2.0").get("alarmsPer100Devices").asDouble()).isZero();
    // Run just after midnight UTC, an alarm falls on yesterday, when none of the devices (all
    // provisioned today) existed yet: the rate is then absent rather than a division by zero.
    for (JsonNode day : series.get("days")) {
      for (JsonNode group : day.get("groups")) {
        long devices = group.get("devices").asLong();
        if (devices == 0) {
          assertThat(group.has("alarmsPer100Devices")).as("rate of %s", group).isFalse();
        } else {
          assertThat(group.get("alarmsPer100Devices").asDouble())
              .isEqualTo(group.get("alarmsRaised").asLong() * 100.0 / devices);
        }
      }
    }
  }

  @Test
  void byModelBothAlarmsCountForTheirModel() {
    JsonNode series = threeDays("model");
    assertThat(total(series, "FR-200", "alarmsRaised")).isEqualTo(2);
    assertThat(total(series, "FR-300", "alarmsRaised")).isZero();
    assertThat(group(lastDay(series), "FR-200").get("devices").asLong()).isEqualTo(2);
    assertThat(group(lastDay(series), "FR-300").get("devices").asLong()).isEqualTo(1);
  }

  @Test
  void aDeviceTypeWithoutDevicesHasEmptyDays() {
    JsonNode series = admin.get("/api/v1/fleet/health-series?groupBy=model&type=door_lock").body();
    assertThat(series.get("days")).hasSize(FleetHealthRoutes.DEFAULT_DAYS);
    series.get("days").forEach(day -> assertThat(day.get("groups")).isEmpty());
  }

  @Test
  void anyStaffRoleReadsIt() {
    ApiClient viewer = admin.as(admin.createStaff("trend-viewer", "viewer"));
    assertThat(viewer.get("/api/v1/fleet/health-series?groupBy=firmware").status()).isEqualTo(200);
  }

  @Test
  void badParametersAreRefusedNamingThem() {
    LocalDate from = LocalDate.parse("2026-01-01");
    assertThat(problem("groupBy=rule")).contains("groupBy");
    assertThat(problem("")).contains("groupBy");
    assertThat(problem("groupBy=model&from=yesterday")).contains("from");
    assertThat(problem("groupBy=model&from=" + from + "&to=" + from)).contains("to");
    assertThat(problem("groupBy=model&from=" + from + "&to=" + from.plusDays(367))).contains("to");
    assertThat(
            admin
                .get(
                    "/api/v1/fleet/health-series?groupBy=model&from="
                        + from
                        + "&to="
                        + from.plusDays(FleetHealthRoutes.MAX_DAYS))
                .status())
        .isEqualTo(200);
  }

  private static String problem(String query) {
    ApiClient.Response response = admin.get("/api/v1/fleet/health-series?" + query);
    assertThat(response.status()).isEqualTo(400);
    return response.body().get("detail").asText();
  }

  /** The day before yesterday to today (UTC), for fridges only. */
  private static JsonNode threeDays(String groupBy) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    ApiClient.Response response =
        admin.get(
            "/api/v1/fleet/health-series?type=fridge&groupBy="
                + groupBy
                + "&from="
                + today.minusDays(2)
                + "&to="
                + today.plusDays(1));
    assertThat(response.status()).isEqualTo(200);
    return response.body();
  }

  private static JsonNode lastDay(JsonNode series) {
    JsonNode days = series.get("days");
    return days.get(days.size() - 1);
  }

  private static JsonNode group(JsonNode day, String key) {
    for (JsonNode group : day.get("groups")) {
      if (key.equals(group.path("key").asText(null))) {
        return group;
      }
    }
    throw new AssertionError("no group " + key + " on " + day);
  }

  /** A figure of one group summed over the days (an alarm's day depends on when the test runs). */
  private static long total(JsonNode series, String key, String figure) {
    long sum = 0;
    for (JsonNode day : series.get("days")) {
      for (JsonNode group : day.get("groups")) {
        if (key.equals(group.path("key").asText(null))) {
          sum += group.get(figure).asLong();
        }
      }
    }
    return sum;
  }

  private static long alarms(String deviceId) {
    return platform.count("SELECT count(*) FROM alarms WHERE device_id = ?", deviceId);
  }

  private static MqttClient fridge(String id, String model, String firmware) throws Exception {
    ApiClient.Response provisioned =
        admin.post(
            "/api/v1/devices",
            Map.of("id", id, "type", "fridge", "model", model, "firmware", firmware));
    assertThat(provisioned.status()).isEqualTo(201);
    MqttClient device =
        PahoDevices.v3(platform.mqttUri(), id, provisioned.body().get("token").asText());
    devices.add(device);
    return device;
  }

  /** 9.5 °C with the door closed for 40 minutes: beyond fridge_warm's 30. */
  private static void warm(MqttClient device, String id, Instant from) throws Exception {
    report(device, id, from, 9.5);
  }

  private static void report(MqttClient device, String id, Instant from, double celsius)
      throws Exception {
    for (int minute = 0; minute <= 40; minute += 5) {
      String json =
          "{\"ts\":\""
              + from.plusSeconds(minute * 60L)
              + "\",\"metrics\":{\"fridge_temp_c\":"
              + celsius
              + ",\"door_open\":false}}";
      device.publish(
          "devices/" + id + "/telemetry", json.getBytes(StandardCharsets.UTF_8), 1, false);
    }
  }
}
