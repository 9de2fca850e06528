package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The diagnostics engine inside the running platform, driven by real MQTT devices: alarms,
 * remote-fix-first, ticket requests, rule reloads, health, on-demand sessions.
 */
class DiagnosticsEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPlatform platform;
  private static ApiClient admin;
  private static Path rulesDir;

  @BeforeAll
  static void start() throws Exception {
    rulesDir = Files.createTempDirectory("aftercare-rules");
    platform =
        TestPlatform.start(
            Map.of(
                "diagnostics.rulesDir", rulesDir.toString(),
                "diagnostics.verifyWindow", "2s",
                "diagnostics.tickInterval", "500ms"));
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** A device that answers commands as told: {@code succeeded} or {@code failed}. */
  private static MqttClient deviceAnswering(String id, String type, String outcome)
      throws Exception {
    return deviceAnswering(id, type, outcome, new AtomicInteger());
  }

  /** A device that answers every command with {@code outcome}, counting what it received. */
  private static MqttClient deviceAnswering(
      String id, String type, String outcome, AtomicInteger received) throws Exception {
    String token = admin.provisionDevice(id, type);
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    device.subscribe(
        "devices/" + id + "/commands",
        1,
        (topic, message) -> {
          String commandId = JSON.readTree(message.getPayload()).get("commandId").asText();
          received.incrementAndGet();
          // Answer from another thread: Paho forbids publishing from its callback thread.
          new Thread(
                  () -> {
                    try {
                      publish(
                          device,
                          id,
                          "commands/result",
                          "{\"commandId\":\""
                              + commandId
                              + "\",\"status\":\""
                              + outcome
                              + "\",\"output\":{\"note\":\""
                              + outcome
                              + "\"}}");
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .start();
        });
    return device;
  }

  private static void publish(MqttClient device, String id, String suffix, String json)
      throws Exception {
    device.publish("devices/" + id + "/" + suffix, json.getBytes(StandardCharsets.UTF_8), 1, false);
  }

  private static JsonNode alarms(String deviceId) {
    return admin.get("/api/v1/alarms?deviceId=" + deviceId).body().get("alarms");
  }

  private static JsonNode onlyAlarm(String deviceId, String ruleId) {
    JsonNode matching = JSON.createArrayNode();
    for (JsonNode alarm : alarms(deviceId)) {
      if (alarm.get("ruleId").asText().equals(ruleId)) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) matching).add(alarm);
      }
    }
    assertThat(matching).as("alarms of " + ruleId).hasSize(1);
    return matching.get(0);
  }

  @Test
  void fridgeWarmForTheConfiguredDurationRaisesExactlyOneAlarmAndRecoveryClearsIt()
      throws Exception {
    String token = admin.provisionDevice("fridge-1", "fridge");
    MqttClient fridge = PahoDevices.v3(platform.mqttUri(), "fridge-1", token);
    Instant t0 = Instant.now().minus(Duration.ofHours(2));

    // 9.5 °C, door closed, every five minutes for 40 minutes: beyond fridge_warm's 30 minutes.
    for (int minute = 0; minute <= 40; minute += 5) {
      publish(
          fridge,
          "fridge-1",
          "telemetry",
          "{\"ts\":\""
              + t0.plusSeconds(minute * 60L)
              + "\",\"metrics\":{\"fridge_temp_c\":9.5,\"door_open\":false}}");
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> alarms("fridge-1").size() == 1);
    JsonNode raised = onlyAlarm("fridge-1", "fridge_warm");
    assertThat(raised.get("status").asText()).isEqualTo("active");
    assertThat(raised.get("severity").asText()).isEqualTo("major");
    assertThat(raised.get("category").asText()).isEqualTo("device_fault");
    JsonNode device = admin.get("/api/v1/devices/fridge-1").body();
    assertThat(device.get("health").get("score").asInt()).isLessThan(100);
    assertThat(device.get("health").get("reasons").get(0).asText()).contains("fridge_warm");
    assertThat(device.get("openAlarms")).hasSize(1);

    publish(
        fridge,
        "fridge-1",
        "telemetry",
        "{\"ts\":\""
            + t0.plusSeconds(45 * 60L)
            + "\",\"metrics\":{\"fridge_temp_c\":4.0,\"door_open\":false}}");

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> onlyAlarm("fridge-1", "fridge_warm").get("status").asText().equals("cleared"));
    assertThat(onlyAlarm("fridge-1", "fridge_warm").get("resolution").asText())
        .isEqualTo("condition_cleared");
    assertThat(admin.get("/api/v1/devices/fridge-1").body().get("health").get("score").asInt())
        .isEqualTo(100);
    fridge.disconnect();
  }

  @Test
  void flappingWifiIsFixedRemotelyByResetNetworkWithoutATicket() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger store = (Logger) LoggerFactory.getLogger(AlarmChangeStore.class);
    log.start();
    store.addAppender(log);
    MqttClient camera = deviceAnswering("camera-ok", "camera", "succeeded");
    Instant now = Instant.now();

    for (int drop = 3; drop >= 1; drop--) {
      publish(
          camera,
          "camera-ok",
          "events",
          "{\"ts\":\""
              + now.minusSeconds(60L * drop)
              + "\",\"type\":\"wifi\",\"code\":\"W_DISCONNECTED\"}");
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                alarms("camera-ok").size() == 1
                    && onlyAlarm("camera-ok", "wifi_flapping")
                        .get("status")
                        .asText()
                        .equals("cleared"));
    JsonNode alarm = onlyAlarm("camera-ok", "wifi_flapping");
    assertThat(alarm.get("resolution").asText()).isEqualTo("fixed_remotely");
    assertThat(alarm.get("remediation").get("state").asText()).isEqualTo("fixed");
    JsonNode action = alarm.get("remediation").get("actions").get(0);
    assertThat(action.get("command").asText()).isEqualTo("reset_network");
    assertThat(action.get("status").asText()).isEqualTo("succeeded");
    assertThat(alarm.get("ticketRequested").asBoolean()).isFalse();
    assertThat(platform.count("SELECT count(*) FROM ticket_requests WHERE device_id = 'camera-ok'"))
        .isZero();
    String commandId = action.get("commandId").asText();
    assertThat(admin.get("/api/v1/commands/" + commandId).body().get("requestedBy").asText())
        .isEqualTo("diagnostics-engine");
    camera.disconnect();
    // The operator tailing the log sees that the fix was verified, not just that it cleared.
    store.detachAppender(log);
    assertThat(log.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(
            line ->
                line.startsWith("Alarm " + alarm.get("id").asLong() + " cleared:")
                    && line.endsWith("fixed remotely, the remedy was verified"));
  }

  @Test
  void oneFaultTrippingTwoRulesGetsOneRebootNotTwo() throws Exception {
    AtomicInteger reboots = new AtomicInteger();
    MqttClient lock = deviceAnswering("lock-jam", "door_lock", "succeeded", reboots);
    Instant now = Instant.now();
    // Three motor jams: lock_jammed (2 in 10 min) and repeated_errors (3 errors in 1 h) both
    // raise, and both rules try a reboot first.
    for (int jam = 3; jam >= 1; jam--) {
      publish(
          lock,
          "lock-jam",
          "events",
          "{\"ts\":\""
              + now.minusSeconds(30L * jam)
              + "\",\"type\":\"error\",\"code\":\"E_MOTOR_JAM\"}");
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                alarms("lock-jam").size() == 2
                    && remedyStatuses("lock-jam").equals(List.of("succeeded", "succeeded")));
    JsonNode jammed = onlyAlarm("lock-jam", "lock_jammed").get("remediation").get("actions");
    JsonNode repeated = onlyAlarm("lock-jam", "repeated_errors").get("remediation").get("actions");
    assertThat(jammed).hasSize(1);
    assertThat(repeated).hasSize(1);
    assertThat(jammed.get(0).get("commandId")).isEqualTo(repeated.get(0).get("commandId"));
    assertThat(admin.get("/api/v1/devices/lock-jam/commands").body().get("commands")).hasSize(1);
    assertThat(reboots.get()).isEqualTo(1);
    lock.disconnect();
  }

  /** The status of each open alarm's first remote action, in alarm order. */
  private static List<String> remedyStatuses(String deviceId) {
    List<String> statuses = new ArrayList<>();
    for (JsonNode alarm : alarms(deviceId)) {
      JsonNode actions = alarm.path("remediation").path("actions");
      statuses.add(actions.isEmpty() ? "none" : actions.get(0).get("status").asText());
    }
    return statuses;
  }

  @Test
  void remedyThatFailsProducesATicketRequestWithTheEvidence() throws Exception {
    MqttClient camera = deviceAnswering("camera-bad", "camera", "failed");
    Instant now = Instant.now();
    publish(
        camera,
        "camera-bad",
        "telemetry",
        "{\"ts\":\"" + now.minusSeconds(300) + "\",\"metrics\":{\"wifi_rssi_dbm\":-88}}");

    for (int drop = 3; drop >= 1; drop--) {
      publish(
          camera,
          "camera-bad",
          "events",
          "{\"ts\":\""
              + now.minusSeconds(60L * drop)
              + "\",\"type\":\"wifi\",\"code\":\"W_DISCONNECTED\"}");
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM ticket_requests WHERE device_id = 'camera-bad'")
                    == 1);
    JsonNode alarm = onlyAlarm("camera-bad", "wifi_flapping");
    assertThat(alarm.get("status").asText()).isEqualTo("active");
    assertThat(alarm.get("remediation").get("state").asText()).isEqualTo("exhausted");
    assertThat(alarm.get("ticketRequested").asBoolean()).isTrue();
    JsonNode evidence = evidenceOf("camera-bad");
    assertThat(evidence.get("rule").get("id").asText()).isEqualTo("wifi_flapping");
    assertThat(evidence.get("diagnosis").asText()).isEqualTo("installation_environment");
    assertThat(evidence.get("remoteActions").get(0).get("command").asText())
        .isEqualTo("reset_network");
    assertThat(evidence.get("remoteActions").get(0).get("status").asText()).isEqualTo("failed");
    assertThat(
            evidence
                .get("telemetryWindow")
                .get("metrics")
                .get("wifi_rssi_dbm")
                .get("min")
                .asDouble())
        .isEqualTo(-88.0);
    // The bridge turns the request into exactly one ticket.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                admin.get("/api/v1/tickets?deviceId=camera-bad").body().get("tickets").size() == 1);
    camera.disconnect();
  }

  private static JsonNode evidenceOf(String deviceId) throws Exception {
    try (var connection = platform.database().connect();
        var select =
            connection.prepareStatement(
                "SELECT evidence::text FROM ticket_requests WHERE device_id = ?")) {
      select.setString(1, deviceId);
      try (var rs = select.executeQuery()) {
        rs.next();
        return JSON.readTree(rs.getString(1));
      }
    }
  }

  @Test
  void anInvalidRuleFileIsRefusedNamingFileRuleAndFieldWhileThePreviousRulesKeepRunning()
      throws Exception {
    Files.writeString(
        rulesDir.resolve("broken.yaml"),
        "rules:\n  - id: hub_too_hot\n    kind: threshold\n    metric: cpu_temp_c\n    levels:\n      - {severity: loud, when: \"value > 90\"}\n    category: device_fault\n");

    ApiClient.Response refused = admin.post("/api/v1/rules/reload", "{}");

    assertThat(refused.status()).isEqualTo(422);
    String errors = refused.body().get("errors").toString();
    assertThat(errors).contains("broken.yaml").contains("hub_too_hot").contains("severity");
    // The default pack still runs: a thermostat's low battery is still detected.
    String token = admin.provisionDevice("thermo-rules", "thermostat");
    MqttClient thermostat = PahoDevices.v3(platform.mqttUri(), "thermo-rules", token);
    publish(thermostat, "thermo-rules", "telemetry", "{\"metrics\":{\"battery_pct\":8}}");
    await().atMost(Duration.ofSeconds(15)).until(() -> alarms("thermo-rules").size() == 1);
    thermostat.disconnect();

    // Fixed, the file is taken without a restart.
    Files.writeString(
        rulesDir.resolve("broken.yaml"),
        "rules:\n  - id: hub_too_hot\n    kind: threshold\n    device_types: [hub]\n    metric: cpu_temp_c\n    levels:\n      - {severity: major, when: \"value > 90\"}\n    clear: \"value < 80\"\n    category: device_fault\n    open_ticket: false\n");
    assertThat(admin.post("/api/v1/rules/reload", "{}").status()).isEqualTo(200);
    assertThat(admin.get("/api/v1/rules").body().get("rules").findValuesAsText("id"))
        .contains("hub_too_hot");
    Files.delete(rulesDir.resolve("broken.yaml"));
    assertThat(admin.post("/api/v1/rules/reload", "{}").status()).isEqualTo(200);
  }

  @Test
  void aRuleWhoseRemedyIsNotACatalogCommandIsRefused() throws Exception {
    Files.writeString(
        rulesDir.resolve("remedy.yaml"),
        "rules:\n  - id: plug_hot\n    kind: threshold\n    metric: temperature_c\n    levels:\n      - {severity: major, when: \"value > 80\"}\n    category: device_fault\n    remedies:\n      - {command: self_destruct}\n");
    try {
      ApiClient.Response refused = admin.post("/api/v1/rules/reload", "{}");

      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.body().get("errors").toString())
          .contains("plug_hot")
          .contains("self_destruct");
    } finally {
      Files.delete(rulesDir.resolve("remedy.yaml"));
    }
  }

  @Test
  void supervisorsAcknowledgeAlarmsAndTechniciansCannot() throws Exception {
    String token = admin.provisionDevice("thermo-ack", "thermostat");
    MqttClient thermostat = PahoDevices.v3(platform.mqttUri(), "thermo-ack", token);
    publish(thermostat, "thermo-ack", "telemetry", "{\"metrics\":{\"battery_pct\":12}}");
    await().atMost(Duration.ofSeconds(15)).until(() -> alarms("thermo-ack").size() == 1);
    long alarmId = onlyAlarm("thermo-ack", "battery_low").get("id").asLong();

    ApiClient technician = admin.as(admin.createStaff("tech-ack", "technician"));
    ApiClient supervisor = admin.as(admin.createStaff("super-ack", "supervisor"));
    assertThat(technician.post("/api/v1/alarms/" + alarmId + "/ack", "{}").status()).isEqualTo(403);
    ApiClient.Response acknowledged = supervisor.post("/api/v1/alarms/" + alarmId + "/ack", "{}");

    assertThat(acknowledged.status()).isEqualTo(200);
    assertThat(acknowledged.body().get("status").asText()).isEqualTo("acknowledged");
    assertThat(acknowledged.body().get("acknowledgedBy").asText()).isEqualTo("super-ack");
    assertThat(supervisor.post("/api/v1/alarms/" + alarmId + "/ack", "{}").status()).isEqualTo(409);
    // Acknowledged is still open: a recovery clears it.
    publish(thermostat, "thermo-ack", "telemetry", "{\"metrics\":{\"battery_pct\":90}}");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> onlyAlarm("thermo-ack", "battery_low").get("status").asText().equals("cleared"));
    thermostat.disconnect();
  }

  @Test
  void aDiagnosticSessionOfAnOfflineDeviceReportsFindingsFromHistory() throws Exception {
    String token = admin.provisionDevice("fridge-diag", "fridge");
    MqttClient fridge = PahoDevices.v3(platform.mqttUri(), "fridge-diag", token);
    Instant t0 = Instant.now().minus(Duration.ofHours(3));
    for (int minute = 0; minute <= 60; minute += 10) {
      publish(
          fridge,
          "fridge-diag",
          "telemetry",
          "{\"ts\":\""
              + t0.plusSeconds(minute * 60L)
              + "\",\"metrics\":{\"fridge_temp_c\":13,\"power_w\":120,\"wifi_rssi_dbm\":-61}}");
    }
    fridge.disconnect();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !admin.get("/api/v1/devices/fridge-diag").body().get("online").asBoolean());

    ApiClient.Response started = admin.post("/api/v1/devices/fridge-diag/diagnostics", "{}");
    assertThat(started.status()).isEqualTo(202);
    String id = started.body().get("diagnosticId").asText();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                admin
                    .get("/api/v1/diagnostics/" + id)
                    .body()
                    .get("status")
                    .asText()
                    .equals("completed"));
    JsonNode report = admin.get("/api/v1/diagnostics/" + id).body().get("report");
    assertThat(report.get("historyOnly").asBoolean()).isTrue();
    assertThat(report.get("selfTest").get("status").asText()).isEqualTo("not_run");
    assertThat(report.get("findings").findValuesAsText("ruleId")).contains("fridge_warm");
    assertThat(report.get("probableCategory").asText()).isEqualTo("device_fault");
    assertThat(report.get("connectivity").get("disconnections").asLong()).isEqualTo(1);
    assertThat(report.get("connectivity").get("lastWifiRssiDbm").asDouble()).isEqualTo(-61.0);
    assertThat(report.get("recommendedActions").toString()).contains("on-site");
    assertThat(
            admin
                .get("/api/v1/audit?actor=bootstrap-admin")
                .body()
                .get("entries")
                .findValuesAsText("action"))
        .contains("diagnostics.start");
  }

  @Test
  void aDiagnosticSessionOfAnOnlineDeviceRunsItsSelfTest() throws Exception {
    MqttClient hub = deviceAnswering("hub-diag", "hub", "succeeded");
    // The connection is recorded off the event loop; a session started before that would rightly
    // treat the hub as offline.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> admin.get("/api/v1/devices/hub-diag").body().get("online").asBoolean());

    String id =
        admin
            .post("/api/v1/devices/hub-diag/diagnostics", "{}")
            .body()
            .get("diagnosticId")
            .asText();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin
                    .get("/api/v1/diagnostics/" + id)
                    .body()
                    .get("status")
                    .asText()
                    .equals("completed"));
    JsonNode report = admin.get("/api/v1/diagnostics/" + id).body().get("report");
    assertThat(report.get("historyOnly").asBoolean()).isFalse();
    assertThat(report.get("selfTest").get("status").asText()).isEqualTo("succeeded");
    assertThat(report.get("selfTest").get("output").get("note").asText()).isEqualTo("succeeded");
    hub.disconnect();
  }
}
