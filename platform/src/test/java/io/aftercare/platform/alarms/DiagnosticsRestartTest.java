package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The platform restarts in the middle of an active fault: no duplicate alarm, still clears. */
class DiagnosticsRestartTest {

  private TestPlatform platform;

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private void publish(String id, String token, String json) throws Exception {
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    device.publish("devices/" + id + "/telemetry", json.getBytes(StandardCharsets.UTF_8), 1, false);
    device.disconnect();
  }

  private JsonNode alarms(String deviceId) {
    return platform.api().get("/api/v1/alarms?deviceId=" + deviceId).body().get("alarms");
  }

  @Test
  void restartDuringAnActiveFaultNeitherForgetsNorDuplicatesItAndItStillClears() throws Exception {
    platform = TestPlatform.start();
    String token = platform.api().provisionDevice("thermo-restart", "thermostat");
    Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
    publish("thermo-restart", token, "{\"ts\":\"" + t0 + "\",\"metrics\":{\"battery_pct\":8}}");
    await().atMost(Duration.ofSeconds(15)).until(() -> alarms("thermo-restart").size() == 1);

    platform.restart();

    // The fault goes on after the restart: the same alarm is updated, not raised again.
    publish(
        "thermo-restart",
        token,
        "{\"ts\":\"" + t0.plusSeconds(60) + "\",\"metrics\":{\"battery_pct\":4}}");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms("thermo-restart").get(0).get("count").asLong() == 2);
    JsonNode alarm = alarms("thermo-restart").get(0);
    assertThat(alarms("thermo-restart")).hasSize(1);
    assertThat(alarm.get("severity").asText()).isEqualTo("critical");
    assertThat(platform.count("SELECT count(*) FROM alarm_events WHERE type = 'raised'"))
        .isEqualTo(1);

    publish(
        "thermo-restart",
        token,
        "{\"ts\":\"" + t0.plusSeconds(120) + "\",\"metrics\":{\"battery_pct\":95}}");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms("thermo-restart").get(0).get("status").asText().equals("cleared"));
    assertThat(alarms("thermo-restart")).hasSize(1);
  }

  @Test
  void devicesStillReconnectingAfterAnOutageRaiseNoOfflineAlarm() throws Exception {
    platform = TestPlatform.start(Map.of("diagnostics.tickInterval", "200ms"));
    String reconnecting = "hub-reconnecting";
    String silent = "hub-silent-before";
    String reconnectingToken = platform.api().provisionDevice(reconnecting, "hub");
    String silentToken = platform.api().provisionDevice(silent, "hub");
    // As if the platform had stopped an hour ago and were only now back: the devices' data carry
    // old times, and while it is down its heartbeat and all it recorded move an hour back. The
    // silent hub had spoken, and disconnected, 20 minutes before the stop.
    Instant now = Instant.now();
    publish(reconnecting, reconnectingToken, memory(now.minus(Duration.ofMinutes(60))));
    publish(silent, silentToken, memory(now.minus(Duration.ofMinutes(80))));
    platform.restart(
        () -> {
          platform.execute(
              "UPDATE platform_heartbeat SET listened_at = listened_at - interval '1h'");
          platform.execute(
              "UPDATE devices SET last_seen_at = last_seen_at - interval '1h',"
                  + " online_changed_at = online_changed_at - interval '1h'");
          platform.execute("UPDATE device_connectivity SET ts = ts - interval '1h'");
          platform.execute(
              "UPDATE devices SET last_seen_at = last_seen_at - interval '20m',"
                  + " online_changed_at = online_changed_at - interval '20m' WHERE id = ?",
              silent);
          platform.execute(
              "UPDATE device_connectivity SET ts = ts - interval '20m' WHERE device_id = ?",
              silent);
        });

    // device_offline raises after 15 minutes of silence: 20 heard before the outage are enough.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms(silent).findValuesAsText("ruleId").contains("device_offline"));
    // A heartbeat after that alarm comes from a later tick, which has judged both devices too.
    Instant judged = Instant.now();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM platform_heartbeat WHERE listened_at > ?",
                        Timestamp.from(judged))
                    == 1);
    // The other hub was heard a moment before the stop: the outage is not its silence.
    assertThat(alarms(reconnecting)).isEmpty();
  }

  @Test
  void aStopDuringAMassOfOfflineAlarmsLeavesTheRestToTheNextStart() {
    int silentDevices = 1500;
    platform = TestPlatform.start(Map.of("diagnostics.tickInterval", "200ms"));
    Set<Thread> earlierRunners = new HashSet<>();
    platform.restart(
        () -> {
          earlierRunners.addAll(diagnosticsThreads());
          addHubsSilentForAnHour(silentDevices);
        });
    Set<Thread> runner = diagnosticsThreads();
    runner.removeAll(earlierRunners);
    await().atMost(Duration.ofSeconds(30)).until(() -> offlineAlarms() > 0);

    long[] storedBeforeStart = new long[1];
    platform.restart(() -> storedBeforeStart[0] = offlineAlarms());

    // The stop did not wait for the whole tick, and its runner was gone before the database was.
    assertThat(runner).hasSize(1).allMatch(thread -> !thread.isAlive());
    assertThat(storedBeforeStart[0]).isLessThan(silentDevices);
    // The next start raises the rest, and none twice.
    await().atMost(Duration.ofSeconds(60)).until(() -> offlineAlarms() == silentDevices);
    assertThat(platform.count("SELECT count(*) FROM alarm_events WHERE type = 'raised'"))
        .isEqualTo(silentDevices);
  }

  @Test
  void whenDiagnosticsFallsBehindIngestWaitsLosesNothingAndSaysSo() throws Exception {
    int silentDevices = 1000;
    platform =
        TestPlatform.start(
            Map.of("diagnostics.tickInterval", "200ms", "diagnostics.queueCapacity", "1"));
    String token = platform.api().provisionDevice("hub-live", "hub");
    // A mass outage: the first tick after the start stores 1,000 alarms, each with a ticket.
    platform.restart(() -> addHubsSilentForAnHour(silentDevices));
    await().atMost(Duration.ofSeconds(30)).until(() -> offlineAlarms() > 0);

    // Meanwhile a live device keeps sending. Each commit is handed to diagnostics, whose queue
    // of one is full: the writer waits, and so does each acknowledgement, but none is lost.
    int messages = 5;
    MqttClient live = PahoDevices.v3(platform.mqttUri(), "hub-live", token);
    Instant start = Instant.now();
    for (int i = 0; i < messages; i++) {
      live.publish(
          "devices/hub-live/telemetry",
          memory(start.plusMillis(i)).getBytes(StandardCharsets.UTF_8),
          1,
          false);
    }
    live.disconnect();

    assertThat(
            platform.count(
                "SELECT count(*) FROM telemetry_documents WHERE device_id = ?", "hub-live"))
        .isEqualTo(messages);
    assertThat(platform.metric("aftercare_diagnostics_backpressure_seconds_count")).isPositive();
  }

  /**
   * Hubs silent and disconnected for an hour while the platform listened (its heartbeat is now):
   * the first tick after the next start raises device_offline, with a ticket, for each. Call while
   * the platform is down.
   */
  private void addHubsSilentForAnHour(int count) {
    platform.execute(
        "INSERT INTO devices (id, type, token_salt, token_hash, created_at, last_seen_at)"
            + " SELECT 'silent-' || g, 'hub', '\\x00', '\\x00', now() - interval '1h',"
            + " now() - interval '1h' FROM generate_series(1, ?) g",
        count);
    platform.execute("UPDATE platform_heartbeat SET listened_at = now()");
  }

  private long offlineAlarms() {
    return platform.count("SELECT count(*) FROM alarms WHERE rule_id = 'device_offline'");
  }

  private static Set<Thread> diagnosticsThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals("aftercare-diagnostics"))
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static String memory(Instant ts) {
    return "{\"ts\":\"" + ts + "\",\"metrics\":{\"memory_free_pct\":50}}";
  }

  @Test
  void windowsAreRefilledAfterARestartSoACountingRuleStillRaises() throws Exception {
    platform = TestPlatform.start();
    String token = platform.api().provisionDevice("cam-restart", "camera");
    Instant now = Instant.now();
    MqttClient camera = PahoDevices.v3(platform.mqttUri(), "cam-restart", token);
    for (int drop = 5; drop >= 4; drop--) {
      camera.publish(
          "devices/cam-restart/events",
          ("{\"ts\":\""
                  + now.minusSeconds(60L * drop)
                  + "\",\"type\":\"wifi\",\"code\":\"W_DISCONNECTED\"}")
              .getBytes(StandardCharsets.UTF_8),
          1,
          false);
    }
    camera.disconnect();

    platform.restart();

    // Two drops before the restart, one after: three in the window raise the alarm.
    MqttClient again = PahoDevices.v3(platform.mqttUri(), "cam-restart", token);
    again.publish(
        "devices/cam-restart/events",
        ("{\"ts\":\"" + now.minusSeconds(60) + "\",\"type\":\"wifi\",\"code\":\"W_DISCONNECTED\"}")
            .getBytes(StandardCharsets.UTF_8),
        1,
        false);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms("cam-restart").findValuesAsText("ruleId").contains("wifi_flapping"));
    again.disconnect();
  }
}
