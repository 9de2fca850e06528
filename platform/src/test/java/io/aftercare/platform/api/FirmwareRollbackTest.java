package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.platform.testing.UpgradedFleets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The rollback a firmware regression alarm offers, end to end on the real database, REST API and
 * MQTT. Model RB-1 doubles its overheating rate on 1.1 (60 devices from the database, offline) and
 * has three connected hubs: two on 1.1, one still on 1.0. In order: later tests add devices.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirmwareRollbackTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String MODEL = "RB-1";

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient supervisor;
  private static ApiClient technician;
  private static String supervisorToken;

  @BeforeAll
  static void aRegressedModel() {
    platform = TestPlatform.start(Map.of("diagnostics.firmwareGuard.evaluateEvery", "300ms"));
    admin = platform.api();
    supervisorToken = admin.createStaff("rb-super", "supervisor");
    supervisor = admin.as(supervisorToken);
    technician = admin.as(admin.createStaff("rb-tech", "technician"));
    UpgradedFleets.provisionTemplate(platform);
    UpgradedFleets.upgraded(platform, MODEL, 60, 30, 60);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(1)
  void theAlarmOffersTheRollbackAndStartsItOnTheVersionsDevicesOnly() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    MqttClient new1 = hub("rb-new-1", "1.1", received);
    MqttClient new2 = hub("rb-new-2", "1.1", received);
    MqttClient old = hub("rb-old", "1.0", received);
    long alarmId = activeAlarm();

    JsonNode offer = alarmOf(admin.get("/api/v1/fleet/firmware?model=" + MODEL).body());
    assertThat(offer.at("/rollback/playbook").asText()).isEqualTo("firmware_rollback");
    assertThat(offer.at("/rollback/devices").asLong())
        .as("60 offline and 2 connected")
        .isEqualTo(62);

    String path = "/api/v1/fleet/firmware/regressions/" + alarmId + "/rollback";
    ApiClient.Response refused = technician.post(path, Map.of("reason", "bad release"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(supervisor.post(path, Map.of()).status()).isEqualTo(400);
    assertThat(
            supervisor
                .post("/api/v1/fleet/firmware/regressions/999999/rollback", Map.of("reason", "x"))
                .status())
        .isEqualTo(404);

    ApiClient.Response done = supervisor.post(path, Map.of("reason", "overheating doubled"));
    assertThat(done.status()).isEqualTo(200);
    JsonNode outcome = done.body();
    assertThat(outcome.get("devices").asInt()).isEqualTo(62);
    assertThat(outcome.get("started").asInt()).isEqualTo(62);
    assertThat(outcome.get("refusedForConsent").asInt()).isZero();
    assertThat(outcome.get("skipped").asInt()).isZero();

    await().atMost(WAIT).until(() -> received.size() >= 2);
    assertThat(received).containsExactlyInAnyOrder("rb-new-1", "rb-new-2");
    assertThat(runs("rb-old")).as("the predecessor's devices").isZero();
    assertThat(
            platform.count(
                "SELECT count(*) FROM playbook_runs r JOIN devices d ON d.id = r.device_id"
                    + " WHERE d.model = ? AND d.firmware = '1.1'"
                    + " AND r.playbook = 'firmware_rollback'",
                MODEL))
        .isEqualTo(62);
    assertThat(
            platform.count(
                "SELECT count(*) FROM commands c JOIN devices d ON d.id = c.device_id"
                    + " WHERE d.model = ? AND c.name = 'firmware_rollback'",
                MODEL))
        .as("offline devices get no command: their run ends failed at once")
        .isEqualTo(2);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'firmware_regression.rollback'"
                    + " AND outcome = 'allowed' AND actor = 'rb-super'"
                    + " AND target = ? AND detail->>'reason' = 'overheating doubled'"
                    + " AND (detail->>'started')::int = 62",
                "firmware-regression/" + alarmId))
        .isEqualTo(1);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'firmware_regression.rollback'"
                    + " AND outcome = 'denied' AND actor = 'rb-tech'"))
        .isEqualTo(1);

    // The connected hubs never answer: their runs are still under way, and are not started twice.
    JsonNode again = supervisor.post(path, Map.of("reason", "again")).body();
    assertThat(again.get("skipped").asInt()).isEqualTo(2);
    assertThat(again.get("started").asInt()).isEqualTo(60);

    new1.disconnect();
    new2.disconnect();
    old.disconnect();
  }

  @Test
  @Order(2)
  void withoutTheOwnersSessionAConnectedDeviceIsRefusedAndGetsNoCommand() throws Exception {
    long alarmId = activeAlarm();
    restart("true");
    List<String> received = new CopyOnWriteArrayList<>();
    MqttClient hub = hub("rb-consent", "1.1", received);
    try {
      JsonNode outcome =
          supervisor
              .post(
                  "/api/v1/fleet/firmware/regressions/" + alarmId + "/rollback",
                  Map.of("reason", "bad release"))
              .body();
      assertThat(outcome.get("refusedForConsent").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(outcome.get("refusedDeviceIds").toString()).contains("rb-consent");
      assertThat(runs("rb-consent")).isZero();
      assertThat(
              platform.count(
                  "SELECT count(*) FROM commands WHERE device_id = 'rb-consent'"
                      + " AND name = 'firmware_rollback'"))
          .isZero();
      assertThat(received).isEmpty();
    } finally {
      hub.disconnect();
      restart("false");
    }
  }

  @Test
  @Order(3)
  void aClearedAlarmHasNothingToRollBack() {
    long alarmId = activeAlarm();
    // Cleared behind the guard's back; its next round raises a new alarm for the version.
    platform.execute(
        "UPDATE firmware_regression_alarms SET status = 'cleared', cleared_at = now() WHERE id = ?",
        alarmId);
    ApiClient.Response response =
        supervisor.post(
            "/api/v1/fleet/firmware/regressions/" + alarmId + "/rollback", Map.of("reason", "x"));
    assertThat(response.status()).isEqualTo(409);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  @Test
  @Order(4)
  void withNoPlaybookConfiguredNothingIsOffered() {
    long alarmId = activeAlarm();
    restart(Map.of("diagnostics.firmwareGuard.rollbackPlaybook", ""));
    assertThat(alarmOf(admin.get("/api/v1/fleet/firmware?model=" + MODEL).body()).has("rollback"))
        .isFalse();
    ApiClient.Response response =
        supervisor.post(
            "/api/v1/fleet/firmware/regressions/" + alarmId + "/rollback", Map.of("reason", "x"));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body().get("detail").asText()).contains("rollbackPlaybook");
  }

  /** The platform again with {@code commands.requireOwnerConsent}, on new ports. */
  private static void restart(String requireOwnerConsent) {
    restart(Map.of("commands.requireOwnerConsent", requireOwnerConsent));
  }

  private static void restart(Map<String, String> settings) {
    platform.restart(settings);
    admin = platform.api();
    supervisor = admin.as(supervisorToken);
  }

  /** A connected hub of the model on {@code firmware}, recording the ids of commands it got. */
  private static MqttClient hub(String id, String firmware, List<String> received)
      throws Exception {
    String token = admin.provisionDevice(id, "hub");
    platform.execute(
        "UPDATE devices SET model = ?, firmware = ? WHERE id = ?", MODEL, firmware, id);
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    device.subscribe("devices/" + id + "/commands", 1, (topic, message) -> received.add(id));
    await()
        .atMost(WAIT)
        .until(
            () -> platform.count("SELECT count(*) FROM devices WHERE id = ? AND online", id) == 1);
    return device;
  }

  private static long activeAlarm() {
    await()
        .atMost(WAIT)
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM firmware_regression_alarms"
                            + " WHERE model = ? AND status = 'active'",
                        MODEL)
                    == 1);
    return alarmOf(admin.get("/api/v1/fleet/firmware?model=" + MODEL).body()).get("id").asLong();
  }

  private static JsonNode alarmOf(JsonNode body) {
    assertThat(body.get("regressionAlarms")).hasSize(1);
    return body.get("regressionAlarms").get(0);
  }

  private static long runs(String deviceId) {
    return platform.count("SELECT count(*) FROM playbook_runs WHERE device_id = ?", deviceId);
  }
}
