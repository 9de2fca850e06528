package io.aftercare.platform.healthcheck;

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
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The post-fix health check in the running platform (docs/tickets.md, "Post-fix health check"),
 * with real MQTT fridges whose coolant runs warm: the fault's ticket is in progress when the alarm
 * clears, and only the health check's verdict, a window later, tells the ticket bridge. A passed
 * check resolves the ticket, and the fault coming back afterwards reopens that same ticket; a
 * failed one (the self-test reports a failing sensor) is recorded on the ticket, which keeps
 * working.
 */
class HealthCheckEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WINDOW = Duration.ofSeconds(3);

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient ann;
  private static Path rulesDir;

  @BeforeAll
  static void start() throws Exception {
    rulesDir = Files.createTempDirectory("aftercare-health-check-rules");
    Files.writeString(
        rulesDir.resolve("coolant.yaml"),
        """
        rules:
          - id: coolant_warm
            kind: threshold
            device_types: [fridge]
            metric: coolant_temp_c
            levels:
              - {severity: major, when: "value > 8"}
            clear: "value < 6"
            category: device_fault
            open_ticket: true
        """);
    platform =
        TestPlatform.start(
            Map.of(
                "diagnostics.rulesDir", rulesDir.toString(),
                "diagnostics.tickInterval", "500ms",
                "diagnostics.healthCheck.window", WINDOW.toSeconds() + "s",
                "diagnostics.healthCheck.interval", "200ms",
                "tickets.pollInterval", "50ms"));
    admin = platform.api();
    ann = admin.as(admin.createQualifiedTechnician("ann", "fridge"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theTicketResolvesOnlyAfterAPassedHealthCheckAndTheFaultComingBackReopensIt()
      throws Exception {
    String id = "fridge-hc-pass";
    MqttClient fridge = fridgeWithSelfTest(id, "{\"result\":\"pass\"}");
    report(fridge, id, 12);
    long ticketId = ticketOf(id);
    repairUnderWay(ticketId);

    ScheduledExecutorService reporter = reportEvery300ms(fridge, id, 4);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> admin.ticket(ticketId).get("status").asText().equals("resolved"));
    reporter.shutdownNow();
    reporter.awaitTermination(10, TimeUnit.SECONDS);

    JsonNode resolved = admin.ticket(ticketId);
    JsonNode check = timelineOf(resolved, "health_check");
    assertThat(check.get("note").asText()).isEqualTo("post-fix health check passed");
    JsonNode evidence = check.get("detail");
    assertThat(evidence.get("passed").asBoolean()).isTrue();
    assertThat(evidence.get("online").asBoolean()).isTrue();
    assertThat(evidence.get("sameCategoryAlarms")).isEmpty();
    assertThat(evidence.at("/ruleSignal/metric").asText()).isEqualTo("coolant_temp_c");
    assertThat(evidence.at("/ruleSignal/readings").asInt()).isPositive();
    assertThat(evidence.at("/ruleSignal/outOfRange").asInt()).isZero();
    assertThat(evidence.at("/selfTest/status").asText()).isEqualTo("succeeded");
    // Not before the window had passed since the alarm cleared.
    Instant clearedAt = Instant.parse(onlyAlarm(id).get("clearedAt").asText());
    Instant resolvedAt =
        Instant.parse(timelineOf(resolved, "transition", "resolved").get("at").asText());
    assertThat(resolvedAt).isAfterOrEqualTo(clearedAt.plus(WINDOW));
    assertThat(Instant.parse(evidence.get("from").asText())).isAfterOrEqualTo(clearedAt);

    // The fault comes back within the reopen window: the same case, reopened.
    report(fridge, id, 13);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin.ticket(ticketId).get("status").asText().equals("in_progress"));
    JsonNode reopened = admin.ticket(ticketId);
    assertThat(reopened.get("reopenCount").asInt()).isEqualTo(1);
    assertThat(reopened.get("alarms")).hasSize(2);
    assertThat(admin.get("/api/v1/tickets?deviceId=" + id).body().get("tickets")).hasSize(1);
    fridge.disconnect();
  }

  @Test
  void aFailedHealthCheckIsRecordedWithItsEvidenceAndTheTicketKeepsWorking() throws Exception {
    String id = "fridge-hc-fail";
    MqttClient fridge =
        fridgeWithSelfTest(id, "{\"result\":\"fail\",\"components\":{\"sensors\":\"fail\"}}");
    report(fridge, id, 12);
    long ticketId = ticketOf(id);
    repairUnderWay(ticketId);

    ScheduledExecutorService reporter = reportEvery300ms(fridge, id, 4);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> hasTimeline(admin.ticket(ticketId), "health_check"));
    reporter.shutdownNow();
    reporter.awaitTermination(10, TimeUnit.SECONDS);

    JsonNode ticket = admin.ticket(ticketId);
    assertThat(onlyAlarm(id).get("status").asText()).isEqualTo("cleared");
    assertThat(ticket.get("status").asText()).isEqualTo("in_progress");
    JsonNode check = timelineOf(ticket, "health_check");
    assertThat(check.get("note").asText())
        .startsWith("post-fix health check failed")
        .contains("self-test");
    JsonNode evidence = check.get("detail");
    assertThat(evidence.get("passed").asBoolean()).isFalse();
    assertThat(evidence.at("/selfTest/failingComponents/0").asText()).isEqualTo("sensors");
    assertThat(evidence.at("/ruleSignal/outOfRange").asInt()).isZero();
    // The alarm's link stays active: the clear policy has not applied.
    assertThat(ticket.at("/alarms/0/clearedAt").isTextual()).isFalse();
    assertThat(
            platform.count(
                "SELECT count(*) FROM ticket_requests WHERE device_id = ? AND kind = 'alarm_cleared'",
                id))
        .isZero();
    fridge.disconnect();
  }

  /** Acknowledged, dispatched to ann for a remote session, in progress. */
  private static void repairUnderWay(long ticketId) {
    ann.moveTicket(ticketId, Map.of("to", "acknowledged"));
    ann.moveTicket(ticketId, Map.of("to", "dispatched", "assignee", "ann", "channel", "remote"));
    ann.moveTicket(ticketId, Map.of("to", "in_progress"));
  }

  private static long ticketOf(String deviceId) {
    String path = "/api/v1/tickets?deviceId=" + deviceId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin.get(path).body().get("tickets").size() == 1);
    return admin.get(path).body().get("tickets").get(0).get("id").asLong();
  }

  private static JsonNode onlyAlarm(String deviceId) {
    JsonNode alarms =
        admin
            .get("/api/v1/alarms?deviceId=" + deviceId + "&ruleId=coolant_warm")
            .body()
            .get("alarms");
    assertThat(alarms).hasSize(1);
    return alarms.get(0);
  }

  private static boolean hasTimeline(JsonNode ticket, String kind) {
    for (JsonNode entry : ticket.get("timeline")) {
      if (entry.get("kind").asText().equals(kind)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode timelineOf(JsonNode ticket, String kind) {
    return timelineOf(ticket, kind, null);
  }

  /** The ticket's only timeline entry of {@code kind} (and, if given, to {@code to}). */
  private static JsonNode timelineOf(JsonNode ticket, String kind, String to) {
    JsonNode found = null;
    for (JsonNode entry : ticket.get("timeline")) {
      if (entry.get("kind").asText().equals(kind)
          && (to == null || to.equals(entry.path("to").asText()))) {
        assertThat(found).as("one %s entry", kind).isNull();
        found = entry;
      }
    }
    assertThat(found).as("a %s entry", kind).isNotNull();
    return found;
  }

  /** A fridge answering its self-test with {@code output}, and any other command succeeded. */
  private static MqttClient fridgeWithSelfTest(String id, String output) throws Exception {
    String token = admin.provisionDevice(id, "fridge");
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    device.subscribe(
        "devices/" + id + "/commands",
        1,
        (topic, message) -> {
          JsonNode command = JSON.readTree(message.getPayload());
          String answer =
              "{\"commandId\":\""
                  + command.get("commandId").asText()
                  + "\",\"status\":\"succeeded\""
                  + (command.get("name").asText().equals("run_self_test")
                      ? ",\"output\":" + output
                      : "")
                  + "}";
          // Answer from another thread: Paho forbids publishing from its callback thread.
          new Thread(() -> publish(device, id, "commands/result", answer)).start();
        });
    return device;
  }

  private static ScheduledExecutorService reportEvery300ms(
      MqttClient device, String id, double value) {
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    reporter.scheduleAtFixedRate(() -> report(device, id, value), 0, 300, TimeUnit.MILLISECONDS);
    return reporter;
  }

  private static void report(MqttClient device, String id, double value) {
    publish(
        device,
        id,
        "telemetry",
        "{\"ts\":\"" + Instant.now() + "\",\"metrics\":{\"coolant_temp_c\":" + value + "}}");
  }

  private static void publish(MqttClient device, String id, String suffix, String json) {
    try {
      device.publish(
          "devices/" + id + "/" + suffix, json.getBytes(StandardCharsets.UTF_8), 1, false);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
