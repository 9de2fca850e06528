package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The default pack's battery_drain_forecast in the running platform, driven by a real MQTT door
 * lock whose battery starts draining: one warning alarm whose forecast the API shows and every
 * report refreshes, cleared when the battery is charged, and a window rebuilt from stored history
 * when the platform restarts in the middle of the drain.
 */
class ForecastEndToEndTest {

  private static final String RULE = "battery_drain_forecast";

  private TestPlatform platform;

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aDrainingBatteryIsWarnedAboutWithItsForecastRefreshedAndClearedWhenCharged()
      throws Exception {
    platform = TestPlatform.start();
    MqttClient lock = lock("lock-drain");
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(40));

    // Ten healthy minutes, then 3 % a minute: warned on the fifth draining report at the latest.
    for (int minute = 0; minute <= 15; minute++) {
      report(lock, "lock-drain", t0, minute, battery(minute));
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> forecastAlarm("lock-drain") != null);
    JsonNode alarm = forecastAlarm("lock-drain");
    assertThat(alarm.get("severity").asText()).isEqualTo("warning");
    assertThat(alarm.get("status").asText()).isEqualTo("active");
    JsonNode forecast = alarm.at("/details/forecast");
    assertThat(forecast.get("metric").asText()).isEqualTo("battery_pct");
    assertThat(forecast.get("limitLabel").asText()).isEqualTo("battery empty");
    assertThat(forecast.get("summary").asText()).startsWith("battery empty in about ");
    assertThat(Instant.parse(forecast.get("reachesAt").asText()))
        .isAfter(Instant.parse(forecast.get("estimatedAt").asText()));
    assertThat(forecast.get("slopePerHour").asDouble()).isNegative();

    // The drain goes on: the same alarm, its forecast refreshed to the latest report.
    for (int minute = 16; minute <= 20; minute++) {
      report(lock, "lock-drain", t0, minute, battery(minute));
    }
    Instant lastReport = t0.plusSeconds(20 * 60L);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> lastReport.equals(estimatedAt(forecastAlarm("lock-drain"))));
    JsonNode refreshed = forecastAlarm("lock-drain");
    assertThat(refreshed.get("id").asLong()).isEqualTo(alarm.get("id").asLong());
    assertThat(refreshed.get("count").asLong()).isGreaterThan(alarm.get("count").asLong());
    // Once the window holds only the drain, the line is the drain: 50 % left at 3 % a minute.
    JsonNode latest = refreshed.at("/details/forecast");
    assertThat(latest.get("slopePerHour").asDouble()).isCloseTo(-180.0, within(1e-6));
    Instant empty = lastReport.plus(Duration.ofSeconds(1000));
    assertThat(Instant.parse(latest.get("reachesAt").asText()))
        .isBetween(empty.minusSeconds(1), empty.plusSeconds(1));
    assertThat(latest.get("summary").asText()).isEqualTo("battery empty in about 17 min");

    // Charged at 4 % a minute: the trend turns and the warning clears.
    for (int minute = 21; minute <= 32; minute++) {
      report(lock, "lock-drain", t0, minute, 50 + 4.0 * (minute - 20));
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> "cleared".equals(forecastAlarm("lock-drain").get("status").asText()));
    assertThat(forecastAlarm("lock-drain").get("resolution").asText())
        .isEqualTo("condition_cleared");
    assertThat(alarms("lock-drain")).noneMatch(a -> a.get("ruleId").asText().equals("battery_low"));
  }

  @Test
  void aRestartInTheMiddleOfADrainRebuildsTheWindowFromStoredHistory() throws Exception {
    platform = TestPlatform.start();
    String token = platform.api().provisionDevice("lock-restart", "door_lock");
    MqttClient lock = lock("lock-restart", token);
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(40));
    for (int minute = 0; minute <= 16; minute++) {
      report(lock, "lock-restart", t0, minute, battery(minute));
    }
    Instant beforeRestart = t0.plusSeconds(16 * 60L);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> beforeRestart.equals(estimatedAt(forecastAlarm("lock-restart"))));
    long id = forecastAlarm("lock-restart").get("id").asLong();
    lock.disconnect();

    platform.restart();

    // One report after the restart: a forecast needs five points over four minutes, so only a
    // window refilled from the stored reports can update the warning at once.
    MqttClient again = lock("lock-restart", token);
    report(again, "lock-restart", t0, 17, battery(17));
    Instant afterRestart = t0.plusSeconds(17 * 60L);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> afterRestart.equals(estimatedAt(forecastAlarm("lock-restart"))));
    JsonNode alarm = forecastAlarm("lock-restart");
    assertThat(alarm.get("id").asLong()).isEqualTo(id);
    assertThat(alarm.at("/details/forecast/points").asInt()).isEqualTo(11);
  }

  /** Flat at 80 % with the gauge's jitter for ten minutes, then 3 % a minute. */
  private static double battery(int minute) {
    return minute <= 10 ? 80 + (minute % 2 == 0 ? 0.1 : -0.1) : 80 - 3.0 * (minute - 10);
  }

  private MqttClient lock(String id) throws Exception {
    return lock(id, platform.api().provisionDevice(id, "door_lock"));
  }

  private MqttClient lock(String id, String token) throws Exception {
    return PahoDevices.v3(platform.mqttUri(), id, token);
  }

  private static void report(MqttClient device, String id, Instant t0, int minute, double pct)
      throws Exception {
    String json =
        String.format(
            Locale.ROOT,
            "{\"ts\":\"%s\",\"metrics\":{\"battery_pct\":%.1f}}",
            t0.plusSeconds(minute * 60L),
            pct);
    device.publish("devices/" + id + "/telemetry", json.getBytes(StandardCharsets.UTF_8), 1, false);
  }

  private JsonNode alarms(String deviceId) {
    return platform.api().get("/api/v1/alarms?deviceId=" + deviceId).body().get("alarms");
  }

  private JsonNode forecastAlarm(String deviceId) {
    for (JsonNode alarm : alarms(deviceId)) {
      if (alarm.get("ruleId").asText().equals(RULE)) {
        return alarm;
      }
    }
    return null;
  }

  private static Instant estimatedAt(JsonNode alarm) {
    return alarm == null ? null : Instant.parse(alarm.at("/details/forecast/estimatedAt").asText());
  }
}
