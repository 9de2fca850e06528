package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.PlatformProcess;
import io.aftercare.testsupport.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform process is killed (SIGKILL) while an alarm waits for its remedy and before its
 * ticket, then started again: the remedy is sent exactly once and the ticket requested exactly
 * once. Also when the crash left an alarm stored without any decision, as an older version could.
 */
class DiagnosticsCrashTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SETTINGS =
      List.of("diagnostics: {tickInterval: 200ms}", "commands: {sweepInterval: 200ms}");

  private final TestDatabases.TestDatabase database = TestDatabases.fresh();
  private final String adminToken = "crash-admin-" + System.nanoTime();
  private Path dataDir;
  private PlatformProcess platform;

  @BeforeEach
  void folder() throws Exception {
    dataDir = Files.createTempDirectory("aftercare-crash");
  }

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private PlatformProcess startPlatform() {
    platform = PlatformProcess.start(database, dataDir, adminToken, SETTINGS);
    return platform;
  }

  @Test
  void killedBetweenTheRemedyAndTheTicketItSendsTheRemedyAndAsksForTheTicketOnceEach()
      throws Exception {
    startPlatform();
    String token = platform.api().provisionDevice("camera-crash", "camera");
    // Three Wi-Fi drops raise wifi_flapping, whose playbook (wifi_recovery) resets the network,
    // then reboots, and whose rule asks for a ticket if both fail. The camera does not listen for
    // commands: the first step waits.
    MqttClient camera = PahoDevices.v3(platform.mqttUri(), "camera-crash", token);
    Instant now = Instant.now();
    for (int drop = 3; drop >= 1; drop--) {
      camera.publish(
          "devices/camera-crash/events",
          ("{\"ts\":\""
                  + now.minusSeconds(60L * drop)
                  + "\",\"type\":\"wifi\",\"code\":\"W_DISCONNECTED\"}")
              .getBytes(StandardCharsets.UTF_8),
          1,
          false);
    }
    camera.disconnect();
    await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM alarms") == 1);
    // The alarm was committed with its decision: the remedy command is there too.
    assertThat(
            count(
                "SELECT count(*) FROM alarms a JOIN commands c ON c.id = a.remediation_command_id"
                    + " WHERE a.remediation_state = 'trying' AND c.name = 'reset_network'"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ticket_requests")).isZero();

    platform.kill();
    startPlatform();

    // The camera is back and fails reset_network, then reboot: now the ticket is asked for.
    MqttClient answering = answering("camera-crash", token, "failed");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count("SELECT count(*) FROM ticket_requests") == 1);
    answering.disconnect();
    assertExactlyOnce("camera-crash");

    // Nothing is taken twice by a further start either.
    platform.kill();
    startPlatform();
    assertExactlyOnce("camera-crash");
  }

  @Test
  void alarmsStoredWithoutTheirDecisionGetItAtTheNextStart() throws Exception {
    startPlatform();
    String cameraToken = platform.api().provisionDevice("camera-undecided", "camera");
    platform.api().provisionDevice("hub-undecided", "hub");
    platform.api().provisionDevice("camera-result-lost", "camera");
    platform.kill();
    // As a crashed earlier run could leave them: an alarm stored and nothing else...
    long undecided = insertAlarm("camera-undecided", "wifi_flapping", "undecided", true, null);
    // ...one without remedies whose ticket was never asked for...
    long noRemedy = insertAlarm("hub-undecided", "device_offline", "undecided", false, null);
    // ...and one whose remedy failed, committed, but was never acted on.
    execute(
        "INSERT INTO commands (id, device_id, name, params, risk, status, requested_by,"
            + " requested_from, idempotency_key, created_at, expires_at, delivery_timeout_ms,"
            + " completed_at) VALUES ('c-lost', 'camera-result-lost', 'reset_network', '{}', 'low',"
            + " 'failed', 'diagnostics-engine', 'diagnostics', 'alarm-lost', now(),"
            + " now() + interval '1h', 60000, now())");
    long resultLost = insertAlarm("camera-result-lost", "wifi_flapping", "trying", true, "c-lost");

    startPlatform();

    // The first remedy is out (once) for the alarm stored alone; the camera fails it.
    assertThat(commandsOf("camera-undecided")).isEqualTo(1);
    MqttClient answering = answering("camera-undecided", cameraToken, "failed");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ticketsOf(undecided) == 1 && ticketsOf(noRemedy) == 1);
    answering.disconnect();
    assertThat(ticketsOf(resultLost)).isEqualTo(1);
    assertThat(state(undecided)).isEqualTo("exhausted");
    assertThat(state(noRemedy)).isEqualTo("none");
    assertThat(state(resultLost)).isEqualTo("exhausted");
    assertThat(commandsOf("camera-result-lost")).isEqualTo(1);

    platform.kill();
    startPlatform();
    assertThat(commandsOf("camera-undecided")).isEqualTo(1);
    assertThat(List.of(ticketsOf(undecided), ticketsOf(noRemedy), ticketsOf(resultLost)))
        .containsOnly(1L);
  }

  /** Each of the playbook's two steps sent once, and the ticket asked for once. */
  private void assertExactlyOnce(String deviceId) throws SQLException {
    assertThat(commandsOf(deviceId)).isEqualTo(2);
    assertThat(
            count(
                "SELECT count(DISTINCT name) FROM commands WHERE device_id = ?"
                    + " AND name IN ('reset_network', 'reboot')",
                deviceId))
        .isEqualTo(2);
    assertThat(count("SELECT count(*) FROM ticket_requests WHERE device_id = ?", deviceId))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM alarm_events WHERE type = 'remedy_sent'")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM alarm_events WHERE type = 'ticket_requested'"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM alarms WHERE remediation_state = 'exhausted'"))
        .isEqualTo(1);
  }

  /** A device that answers every command with {@code outcome}. */
  private MqttClient answering(String id, String token, String outcome) throws Exception {
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    device.subscribe(
        "devices/" + id + "/commands",
        1,
        (topic, message) -> {
          String commandId = JSON.readTree(message.getPayload()).get("commandId").asText();
          byte[] result =
              JSON.writeValueAsBytes(
                  JSON.createObjectNode().put("commandId", commandId).put("status", outcome));
          // Paho forbids publishing from its callback thread.
          new Thread(
                  () -> {
                    try {
                      device.publish("devices/" + id + "/commands/result", result, 1, false);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .start();
        });
    return device;
  }

  private long insertAlarm(
      String deviceId, String ruleId, String state, boolean withRemedy, String commandId)
      throws SQLException {
    long id =
        count(
            "INSERT INTO alarms (device_id, rule_id, severity, status, category, description,"
                + " raised_at, last_seen_at, count, open_ticket, remedies, remediation_state,"
                + " remediation_command_id) VALUES (?, ?, 'minor', 'active', ?, 'stored alone',"
                + " now() - interval '1m', now() - interval '1m', 3, true, ?::jsonb, ?, ?)"
                + " RETURNING id",
            deviceId,
            ruleId,
            withRemedy ? "installation_environment" : "connectivity",
            withRemedy ? "[{\"command\":\"reset_network\",\"params\":{}}]" : "[]",
            state,
            commandId);
    if (withRemedy) {
      // The drops that raised it, which the engine replays at start: without them its window
      // would be empty and the alarm would clear at the first tick.
      execute(
          "INSERT INTO device_events (device_id, ts, received_at, type, code)"
              + " SELECT ?, now() - g * interval '1 minute', now(), 'wifi', 'W_DISCONNECTED'"
              + " FROM generate_series(1, 3) g",
          deviceId);
    }
    if (commandId != null) {
      execute(
          "INSERT INTO alarm_events (alarm_id, ts, type, actor, detail) VALUES (?, now(),"
              + " 'remedy_sent', 'diagnostics-engine', ?::jsonb)",
          id,
          "{\"command\":\"reset_network\",\"commandId\":\"" + commandId + "\"}");
    }
    return id;
  }

  private long commandsOf(String deviceId) throws SQLException {
    return count("SELECT count(*) FROM commands WHERE device_id = ?", deviceId);
  }

  private long ticketsOf(long alarmId) throws SQLException {
    return count(
        "SELECT count(*) FROM ticket_requests WHERE alarm_id = ? AND kind = 'open'", alarmId);
  }

  private String state(long alarmId) throws SQLException {
    try (Connection c = database.connect();
        PreparedStatement select =
            c.prepareStatement("SELECT remediation_state FROM alarms WHERE id = ?")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private long count(String sql, Object... parameters) throws SQLException {
    try (Connection c = database.connect();
        PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void execute(String sql, Object... parameters) throws SQLException {
    try (Connection c = database.connect();
        PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }
}
