package io.aftercare.platform.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Remote-assist playbooks in the running platform, driven by real MQTT devices that answer each
 * command as told: Wi-Fi drops raise wifi_flapping, which here names the default pack's
 * wifi_recovery playbook (reset_network, then reboot).
 */
class PlaybookEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPlatform platform;
  private static ApiClient admin;
  private static Path rulesDir;

  @BeforeAll
  static void start() throws Exception {
    rulesDir = Files.createTempDirectory("aftercare-playbook-rules");
    Files.writeString(
        rulesDir.resolve("wifi.yaml"),
        """
        rules:
          - id: wifi_flapping
            kind: event
            device_types: [camera]
            event: 'event.type == "wifi" && event.code == "W_DISCONNECTED"'
            window: 30m
            levels:
              - {severity: minor, count: 3}
            category: installation_environment
            playbook: wifi_recovery
            open_ticket: true
          - id: radio_drops
            kind: event
            device_types: [door_lock]
            event: 'event.type == "wifi" && event.code == "W_RADIO_DROP"'
            window: 30m
            levels:
              - {severity: minor, count: 3}
            category: connectivity
            playbook: radio_recovery
            open_ticket: true
        """);
    Files.writeString(
        rulesDir.resolve("staff-playbooks.yaml"),
        """
        playbooks:
          - id: check_in
            steps:
              - {name: self_test, command: run_self_test}
              - {name: blink, command: identify}
          - id: self_test_then_reset
            steps:
              - {name: self_test, command: run_self_test}
              - {name: reset, command: reset_network}
          - id: radio_recovery
            steps:
              - {name: reset, command: reset_network, expect: "min.wifi_rssi_dbm > -70"}
              - {name: restart, command: reboot, expect: "min.wifi_rssi_dbm > -70"}
          - id: blink_when_idle
            steps:
              - {name: blink, command: identify, precondition: "online && open_commands == 0"}
          - id: checked_check_in
            steps:
              - {name: self_test, command: run_self_test, expect: "min.wifi_rssi_dbm > -70"}
              - {name: blink, command: identify, expect: "min.wifi_rssi_dbm > -70"}
        """);
    platform =
        TestPlatform.start(
            Map.of(
                "diagnostics.rulesDir", rulesDir.toString(),
                "diagnostics.verifyWindow", "2s",
                "diagnostics.tickInterval", "500ms",
                // Staff steps beyond diagnostics need the owner's session; a rule's do not.
                "commands.requireOwnerConsent", "true"));
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aWifiFaultIsFixedByThePlaybooksSecondStepWithoutATicket() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    MqttClient camera = cameraAnswering("cam-second", Map.of("reset_network", "failed"), received);

    dropWifiThreeTimes(camera, "cam-second");

    await().atMost(Duration.ofSeconds(30)).until(() -> alarmStatus("cam-second").equals("cleared"));
    JsonNode alarm = onlyAlarm("cam-second");
    assertThat(alarm.get("resolution").asText()).isEqualTo("fixed_remotely");
    assertThat(alarm.get("remediation").get("state").asText()).isEqualTo("fixed");
    assertThat(runOf(alarm))
        .containsExactly(
            "reset_network remedy_sent",
            "reset_network remedy_result failed",
            "reboot remedy_sent",
            "reboot remedy_result succeeded");
    assertThat(received).containsExactly("reset_network", "reboot");
    assertThat(alarm.get("ticketRequested").asBoolean()).isFalse();
    assertThat(
            platform.count("SELECT count(*) FROM ticket_requests WHERE device_id = 'cam-second'"))
        .isZero();
    camera.disconnect();
  }

  @Test
  void aPlaybookWhoseStepsAllFailOpensATicketCarryingTheRun() throws Exception {
    MqttClient camera =
        cameraAnswering(
            "cam-broken",
            Map.of("reset_network", "failed", "reboot", "failed"),
            new CopyOnWriteArrayList<>());

    dropWifiThreeTimes(camera, "cam-broken");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM ticket_requests WHERE device_id = 'cam-broken'")
                    == 1);
    JsonNode alarm = onlyAlarm("cam-broken");
    assertThat(alarm.get("status").asText()).isEqualTo("active");
    assertThat(alarm.get("remediation").get("state").asText()).isEqualTo("exhausted");
    assertThat(runOf(alarm))
        .containsExactly(
            "reset_network remedy_sent",
            "reset_network remedy_result failed",
            "reboot remedy_sent",
            "reboot remedy_result failed");
    JsonNode actions = evidenceOf("cam-broken").get("remoteActions");
    assertThat(actions).hasSize(2);
    assertThat(actions.get(0).get("step").asText()).isEqualTo("reset_network");
    assertThat(actions.get(0).get("status").asText()).isEqualTo("failed");
    assertThat(actions.get(1).get("step").asText()).isEqualTo("reboot");
    assertThat(actions.get(1).get("status").asText()).isEqualTo("failed");
    // The bridge opens the ticket with the run in its evidence.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                admin.get("/api/v1/tickets?deviceId=cam-broken").body().get("tickets").size() == 1);
    camera.disconnect();
  }

  @Test
  void aStepWhosePreconditionFailsIsSkippedWithTheReadingsItWasCheckedOn() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    MqttClient camera = cameraAnswering("cam-lowbat", Map.of(), received);
    // reset_network wants more than 20 % battery.
    publish(
        camera,
        "cam-lowbat",
        "telemetry",
        "{\"ts\":\"" + Instant.now().minusSeconds(600) + "\",\"metrics\":{\"battery_pct\":12}}");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                platform.count("SELECT count(*) FROM telemetry WHERE device_id = 'cam-lowbat'")
                    == 1);

    dropWifiThreeTimes(camera, "cam-lowbat");

    await().atMost(Duration.ofSeconds(30)).until(() -> alarmStatus("cam-lowbat").equals("cleared"));
    JsonNode alarm = onlyAlarm("cam-lowbat");
    assertThat(alarm.get("remediation").get("state").asText()).isEqualTo("fixed");
    assertThat(runOf(alarm))
        .containsExactly(
            "reset_network step_skipped", "reboot remedy_sent", "reboot remedy_result succeeded");
    JsonNode skipped = alarm.get("remediation").get("run").get(0).get("detail");
    assertThat(skipped.get("reason").asText()).contains("precondition");
    assertThat(skipped.get("metrics").get("battery_pct").asDouble()).isEqualTo(12.0);
    assertThat(received).containsExactly("reboot");
    camera.disconnect();
  }

  @Test
  void aPlaybookFileNamingACommandOutsideTheCatalogIsRefusedOnReload() throws Exception {
    Path file = rulesDir.resolve("risky.yaml");
    Files.writeString(
        file,
        """
        playbooks:
          - id: risky
            steps:
              - {name: boom, command: self_destruct, on_failure: explode}
        """);
    try {
      ApiClient.Response refused = admin.post("/api/v1/rules/reload", "{}");

      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.body().get("errors").toString())
          .contains("playbook 'risky': field 'steps[0].command'")
          .contains("self_destruct")
          .contains("field 'steps[0].on_failure'");
    } finally {
      Files.delete(file);
    }
    assertThat(admin.post("/api/v1/rules/reload", "{}").status()).isEqualTo(200);
  }

  @Test
  void staffStartAPlaybookAndWatchEachStepUntilOneSucceeds() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    MqttClient camera = cameraAnswering("cam-staff", Map.of("run_self_test", "failed"), received);

    ApiClient.Response started =
        admin.post("/api/v1/devices/cam-staff/playbook-runs", "{\"playbook\":\"check_in\"}");

    assertThat(started.status()).isEqualTo(201);
    long runId = started.body().get("id").asLong();
    assertThat(started.body().get("steps").toString()).isEqualTo("[\"self_test\",\"blink\"]");
    String run = "/api/v1/devices/cam-staff/playbook-runs/" + runId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin.get(run).body().get("state").asText().equals("succeeded"));
    JsonNode done = admin.get(run).body();
    assertThat(done.get("currentStep").asText()).isEqualTo("blink");
    assertThat(outcomes(done))
        .containsExactly("self_test sent", "self_test failed", "blink sent", "blink succeeded");
    assertThat(received).containsExactly("run_self_test", "identify");
    assertThat(admin.get("/api/v1/devices/cam-staff/playbook-runs").body().get("runs"))
        .extracting(r -> r.get("id").asLong())
        .containsExactly(runId);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'playbook_run.start'"
                    + " AND target = 'device/cam-staff'"))
        .isEqualTo(1);
    camera.disconnect();
  }

  @Test
  void aLaterStepOutsideDiagnosticsIsRefusedWithoutTheOwnersConsent() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    MqttClient camera =
        cameraAnswering("cam-noconsent", Map.of("run_self_test", "failed"), received);

    long runId =
        admin
            .post(
                "/api/v1/devices/cam-noconsent/playbook-runs",
                "{\"playbook\":\"self_test_then_reset\"}")
            .body()
            .get("id")
            .asLong();

    String run = "/api/v1/devices/cam-noconsent/playbook-runs/" + runId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin.get(run).body().get("state").asText().equals("failed"));
    JsonNode done = admin.get(run).body();
    assertThat(outcomes(done))
        .containsExactly("self_test sent", "self_test failed", "reset refused");
    assertThat(done.get("events").get(2).get("detail").get("reason").asText())
        .contains("owner's consent");
    assertThat(received).containsExactly("run_self_test");
    camera.disconnect();
  }

  @Test
  void aFirstStepOutsideDiagnosticsRefusedForConsentStoresNoRun() throws Exception {
    MqttClient camera = cameraAnswering("cam-refused", Map.of(), new CopyOnWriteArrayList<>());

    ApiClient.Response refused =
        admin.post("/api/v1/devices/cam-refused/playbook-runs", "{\"playbook\":\"wifi_recovery\"}");

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("type").asText())
        .isEqualTo("urn:aftercare:problem:owner-consent-required");
    assertThat(admin.get("/api/v1/devices/cam-refused/playbook-runs").body().get("runs")).isEmpty();
    assertThat(
            admin
                .post("/api/v1/devices/cam-refused/playbook-runs", "{\"playbook\":\"nope\"}")
                .status())
        .isEqualTo(400);
    camera.disconnect();
  }

  @Test
  void aRunWhoseCommandEndedWhileThePlatformWasDownMovesOnAfterTheRestart() {
    // No device listens: the first step's command waits, queued.
    admin.provisionDevice("cam-restart", "camera");
    JsonNode started =
        admin
            .post("/api/v1/devices/cam-restart/playbook-runs", "{\"playbook\":\"check_in\"}")
            .body();
    String run = "/api/v1/devices/cam-restart/playbook-runs/" + started.get("id").asLong();
    String commandId = started.get("events").get(0).get("commandId").asText();
    assertThat(outcomes(started)).containsExactly("self_test sent");

    // The command's failure is committed, but no node acted on it before they all stopped.
    platform.restart(
        () ->
            platform.execute(
                "UPDATE commands SET status = 'failed', completed_at = now() WHERE id = ?",
                commandId));
    admin = platform.api();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin.get(run).body().get("events").size() == 3);
    JsonNode moved = admin.get(run).body();
    assertThat(outcomes(moved)).containsExactly("self_test sent", "self_test failed", "blink sent");
    assertThat(moved.get("state").asText()).isEqualTo("running");
    assertThat(moved.get("currentStep").asText()).isEqualTo("blink");
  }

  @Test
  void aStepForAnOnlineIdleDeviceIsSkippedOnAnOfflineOne() {
    admin.provisionDevice("cam-offline", "camera");

    JsonNode run =
        admin
            .post("/api/v1/devices/cam-offline/playbook-runs", "{\"playbook\":\"blink_when_idle\"}")
            .body();

    assertThat(run.get("state").asText()).isEqualTo("failed");
    assertThat(outcomes(run)).containsExactly("blink skipped");
    JsonNode skipped = run.get("events").get(0).get("detail");
    assertThat(skipped.get("online").asBoolean()).isFalse();
    assertThat(skipped.get("openCommands").asLong()).isZero();
  }

  @Test
  void aStepWhoseExpectedOutcomeDoesNotHoldOnTelemetryFailsAndTheNextOneIsVerified()
      throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    String id = "lock-radio";
    MqttClient lock = deviceAnswering(id, "door_lock", Map.of(), received);
    // Every command "succeeds", but the signal stays weak until the lock has been rebooted. The
    // lock reports every 200 ms, as a device on its own schedule does.
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    reporter.scheduleAtFixedRate(
        () -> {
          int rssi = received.contains("reboot") ? -60 : -80;
          try {
            publish(lock, id, "telemetry", "{\"metrics\":{\"wifi_rssi_dbm\":" + rssi + "}}");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        0,
        200,
        TimeUnit.MILLISECONDS);
    Instant now = Instant.now();
    for (int drop = 3; drop >= 1; drop--) {
      publish(
          lock,
          id,
          "events",
          "{\"ts\":\""
              + now.minusSeconds(60L * drop)
              + "\",\"type\":\"wifi\",\"code\":\"W_RADIO_DROP\"}");
    }
    String path = "/api/v1/alarms?deviceId=" + id + "&ruleId=radio_drops";

    await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                admin.get(path).body().get("alarms").size() == 1
                    && admin
                        .get(path)
                        .body()
                        .get("alarms")
                        .get(0)
                        .get("status")
                        .asText()
                        .equals("cleared"));
    reporter.shutdownNow();
    reporter.awaitTermination(10, TimeUnit.SECONDS);
    JsonNode alarm = admin.get(path).body().get("alarms").get(0);
    assertThat(alarm.get("resolution").asText()).isEqualTo("fixed_remotely");
    assertThat(runOf(alarm))
        .containsExactly(
            "reset remedy_sent",
            "reset remedy_result succeeded",
            "reset fix_failed",
            "restart remedy_sent",
            "restart remedy_result succeeded",
            "restart outcome_checked");
    JsonNode failed = alarm.get("remediation").get("run").get(2).get("detail");
    assertThat(failed.get("holds").asBoolean()).isFalse();
    assertThat(failed.get("min").get("wifi_rssi_dbm").asDouble()).isEqualTo(-80.0);
    JsonNode held = alarm.get("remediation").get("run").get(5).get("detail");
    assertThat(held.get("holds").asBoolean()).isTrue();
    assertThat(held.get("min").get("wifi_rssi_dbm").asDouble()).isEqualTo(-60.0);
    assertThat(platform.count("SELECT count(*) FROM ticket_requests WHERE device_id = ?", id))
        .isZero();
    lock.disconnect();
  }

  @Test
  void aStaffRunChecksEachStepsExpectedOutcomeOnTelemetry() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    String id = "cam-staff-expect";
    MqttClient camera = cameraAnswering(id, Map.of(), received);
    // Both commands "succeed", but the signal is weak until the camera has been told to identify.
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    reporter.scheduleAtFixedRate(
        () -> {
          int rssi = received.contains("identify") ? -60 : -80;
          try {
            publish(camera, id, "telemetry", "{\"metrics\":{\"wifi_rssi_dbm\":" + rssi + "}}");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        0,
        200,
        TimeUnit.MILLISECONDS);

    JsonNode started =
        admin
            .post("/api/v1/devices/" + id + "/playbook-runs", "{\"playbook\":\"checked_check_in\"}")
            .body();
    String run = "/api/v1/devices/" + id + "/playbook-runs/" + started.get("id").asLong();
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> admin.get(run).body().get("state").asText().equals("succeeded"));
    reporter.shutdownNow();
    reporter.awaitTermination(10, TimeUnit.SECONDS);

    JsonNode done = admin.get(run).body();
    assertThat(outcomes(done))
        .containsExactly(
            "self_test sent",
            "self_test succeeded",
            "self_test outcome_not_met",
            "blink sent",
            "blink succeeded",
            "blink outcome_met");
    JsonNode notMet = done.get("events").get(2).get("detail");
    assertThat(notMet.get("holds").asBoolean()).isFalse();
    assertThat(notMet.get("min").get("wifi_rssi_dbm").asDouble()).isEqualTo(-80.0);
    JsonNode met = done.get("events").get(5).get("detail");
    assertThat(met.get("expect").asText()).isEqualTo("min.wifi_rssi_dbm > -70");
    assertThat(met.get("min").get("wifi_rssi_dbm").asDouble()).isEqualTo(-60.0);
    assertThat(received).containsExactly("run_self_test", "identify");
    camera.disconnect();
  }

  /** A staff run's events as "step outcome" lines. */
  private static List<String> outcomes(JsonNode run) {
    List<String> lines = new ArrayList<>();
    for (JsonNode event : run.get("events")) {
      lines.add(event.get("step").asText() + " " + event.get("outcome").asText());
    }
    return lines;
  }

  /**
   * A camera that answers each command with the outcome {@code outcomes} names for it ({@code
   * succeeded} otherwise), recording the commands it received.
   */
  private static MqttClient cameraAnswering(
      String id, Map<String, String> outcomes, List<String> received) throws Exception {
    return deviceAnswering(id, "camera", outcomes, received);
  }

  private static MqttClient deviceAnswering(
      String id, String type, Map<String, String> outcomes, List<String> received)
      throws Exception {
    String token = admin.provisionDevice(id, type);
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    device.subscribe(
        "devices/" + id + "/commands",
        1,
        (topic, message) -> {
          JsonNode command = JSON.readTree(message.getPayload());
          String name = command.get("name").asText();
          received.add(name);
          String answer =
              "{\"commandId\":\""
                  + command.get("commandId").asText()
                  + "\",\"status\":\""
                  + outcomes.getOrDefault(name, "succeeded")
                  + "\"}";
          // Answer from another thread: Paho forbids publishing from its callback thread.
          new Thread(
                  () -> {
                    try {
                      publish(device, id, "commands/result", answer);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .start();
        });
    return device;
  }

  private static void dropWifiThreeTimes(MqttClient device, String id) throws Exception {
    Instant now = Instant.now();
    for (int drop = 3; drop >= 1; drop--) {
      publish(
          device,
          id,
          "events",
          "{\"ts\":\""
              + now.minusSeconds(60L * drop)
              + "\",\"type\":\"wifi\",\"code\":\"W_DISCONNECTED\"}");
    }
  }

  private static void publish(MqttClient device, String id, String suffix, String json)
      throws Exception {
    device.publish("devices/" + id + "/" + suffix, json.getBytes(StandardCharsets.UTF_8), 1, false);
  }

  /** The device's wifi_flapping alarms (a low battery may raise battery_low beside it). */
  private static JsonNode wifiAlarms(String deviceId) {
    return admin
        .get("/api/v1/alarms?deviceId=" + deviceId + "&ruleId=wifi_flapping")
        .body()
        .get("alarms");
  }

  private static String alarmStatus(String deviceId) {
    JsonNode alarms = wifiAlarms(deviceId);
    return alarms.size() == 1 ? alarms.get(0).get("status").asText() : "none";
  }

  private static JsonNode onlyAlarm(String deviceId) {
    JsonNode alarms = wifiAlarms(deviceId);
    assertThat(alarms).hasSize(1);
    return alarms.get(0);
  }

  /** The alarm's playbook run as "step type [status]" lines. */
  private static List<String> runOf(JsonNode alarm) {
    List<String> lines = new ArrayList<>();
    for (JsonNode event : alarm.get("remediation").get("run")) {
      String status = event.get("detail").path("status").asText("");
      lines.add(
          (event.get("step").asText() + " " + event.get("type").asText() + " " + status).trim());
    }
    return lines;
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
}
