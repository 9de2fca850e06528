package io.aftercare.platform.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.ConsoleBrowser;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.SseClient;
import io.aftercare.platform.testing.TestHttp;
import io.aftercare.platform.testing.TestPlatform;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/live}: a real event-stream client sees telemetry after a real MQTT publish and
 * alarm, command and ticket changes as the database commits them.
 */
class LiveUpdatesTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static String url(String query) {
    return "http://127.0.0.1:" + platform.platform().httpPort() + "/api/v1/live" + query;
  }

  private static SseClient stream(String query) {
    SseClient stream =
        SseClient.open(
            url(query), Map.of("authorization", "Bearer " + platform.platform().adminToken()));
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.contentType()).startsWith("text/event-stream");
    return stream;
  }

  @Test
  void telemetryOfTheWatchedDeviceArrivesAfterItsPublishAndNoOtherDevicesDoes() throws Exception {
    String watchedToken = admin.provisionDevice("live-watched", "thermostat");
    String otherToken = admin.provisionDevice("live-other", "thermostat");
    MqttClient watched = PahoDevices.v3(platform.mqttUri(), "live-watched", watchedToken);
    MqttClient other = PahoDevices.v3(platform.mqttUri(), "live-other", otherToken);
    try (SseClient stream = stream("?device=live-watched");
        SseClient fleetOnly = stream("")) {
      Instant ts = Instant.parse("2026-12-01T10:00:00Z");

      // Acknowledged only after commit, so the other device's point is sent first if at all.
      publish(other, "{\"ts\":\"" + ts + "\",\"metrics\":{\"temperature_c\":30}}");
      publish(watched, "{\"ts\":\"" + ts + "\",\"metrics\":{\"temperature_c\":21.5,\"on\":true}}");

      SseClient.Event telemetry = stream.next(event -> event.name().equals("telemetry"));
      assertThat(telemetry.data().get("deviceId").asText()).isEqualTo("live-watched");
      assertThat(telemetry.data().get("ts").asText()).isEqualTo(ts.toString());
      assertThat(telemetry.data().get("metrics").get("temperature_c").asDouble()).isEqualTo(21.5);
      assertThat(telemetry.data().get("metrics").get("on").asDouble()).isEqualTo(1.0);
      assertThat(stream.seen())
          .filteredOn(event -> event.name().equals("telemetry"))
          .allSatisfy(
              event -> assertThat(event.data().get("deviceId").asText()).isEqualTo("live-watched"));
      admin.post("/api/v1/devices/live-watched/commands", Map.of("name", "identify"));
      fleetOnly.next(event -> event.name().equals("command"));
      assertThat(fleetOnly.seen()).noneMatch(event -> event.name().equals("telemetry"));
    } finally {
      watched.disconnect();
      other.disconnect();
    }
  }

  @Test
  void anAlarmIsStreamedWhenRaisedAndWhenAcknowledged() throws Exception {
    String token = admin.provisionDevice("live-fridge", "fridge");
    try (SseClient stream = stream("")) {
      raiseFridgeWarmAlarm("live-fridge", token);

      SseClient.Event raised =
          stream.next(
              event ->
                  event.name().equals("alarm")
                      && event.data().get("deviceId").asText().equals("live-fridge"));
      assertThat(raised.data().get("status").asText()).isEqualTo("active");
      assertThat(raised.data().has("remediationState")).isTrue();
      long alarmId = raised.data().get("alarmId").asLong();
      assertThat(raised.data().size()).as("ids and states only").isEqualTo(4);

      assertThat(admin.post("/api/v1/alarms/" + alarmId + "/ack", Map.of()).status())
          .isEqualTo(200);

      SseClient.Event acknowledged =
          stream.next(
              event ->
                  event.name().equals("alarm")
                      && event.data().get("alarmId").asLong() == alarmId
                      && event.data().get("status").asText().equals("acknowledged"));
      assertThat(acknowledged.data().get("deviceId").asText()).isEqualTo("live-fridge");
    }
  }

  @Test
  void aCommandIsStreamedWhenSubmittedAndAtEachStatusChangeWithoutItsParameters() throws Exception {
    String token = admin.provisionDevice("live-cam", "camera");
    MqttClient camera = PahoDevices.v3(platform.mqttUri(), "live-cam", token);
    BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
    camera.subscribe(
        "devices/live-cam/commands",
        1,
        (topic, message) ->
            delivered.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
    try (SseClient stream = stream("?device=live-cam")) {
      ApiClient.Response submitted =
          admin.post(
              "/api/v1/devices/live-cam/commands",
              Map.of("name", "identify", "params", Map.of("seconds", 7)));
      String commandId = submitted.body().get("commandId").asText();

      SseClient.Event queued = commandEvent(stream, commandId, "queued");
      assertThat(queued.data().get("deviceId").asText()).isEqualTo("live-cam");
      assertThat(queued.data().toString()).doesNotContain("seconds");
      commandEvent(stream, commandId, "sent");
      assertThat(delivered.poll(20, TimeUnit.SECONDS)).contains(commandId);

      camera.publish(
          "devices/live-cam/commands/result",
          ("{\"commandId\":\"" + commandId + "\",\"status\":\"succeeded\",\"output\":{}}")
              .getBytes(StandardCharsets.UTF_8),
          1,
          false);
      commandEvent(stream, commandId, "succeeded");
    } finally {
      camera.disconnect();
    }
  }

  @Test
  void aTicketIsStreamedWhenOpenedAndAtEachTransition() throws Exception {
    try (SseClient stream = stream("")) {
      long ticketId =
          admin.openCase(
              Map.of("channel", "phone", "symptom", "no picture", "serviceType", "repair"));

      ticketEvent(stream, ticketId, "open");
      admin.moveTicket(ticketId, Map.of("to", "acknowledged"));
      SseClient.Event moved = ticketEvent(stream, ticketId, "acknowledged");
      assertThat(moved.data().has("deviceId")).isTrue();
      assertThat(moved.data().size()).isEqualTo(3);
    }
  }

  @Test
  void theConnectionGaugeRisesAndFalls() throws Exception {
    admin.provisionDevice("live-gauge", "thermostat");
    double before = platform.metric("aftercare_sse_connections");
    SseClient first = stream("");
    SseClient second = stream("?device=live-gauge");

    await().atMost(WAIT).until(() -> platform.metric("aftercare_sse_connections") == before + 2);
    // The open streams are measured like any request, once their headers went out.
    assertThat(metricsText())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("aftercare_http_server_requests_seconds_count{")
                    .contains("route=\"/api/v1/live\"", "status=\"200\""));
    first.close();
    second.close();
    await().atMost(WAIT).until(() -> platform.metric("aftercare_sse_connections") == before);
  }

  @Test
  void aStreamNeedsCredentialsAndAKnownDevice() {
    SseClient anonymous = SseClient.open(url(""), Map.of());
    assertThat(anonymous.status()).isEqualTo(401);
    SseClient wrongToken = SseClient.open(url(""), Map.of("authorization", "Bearer nope"));
    assertThat(wrongToken.status()).isEqualTo(401);
    SseClient unknownDevice =
        SseClient.open(
            url("?device=no-such-device"),
            Map.of("authorization", "Bearer " + platform.platform().adminToken()));
    assertThat(unknownDevice.status()).isEqualTo(404);
    SseClient undeclared =
        SseClient.open(
            url("?devices=x"),
            Map.of("authorization", "Bearer " + platform.platform().adminToken()));
    assertThat(undeclared.status()).isEqualTo(400);
  }

  @Test
  void aConsoleSessionOpensAStreamAndSigningOutClosesIt() throws Exception {
    ConsoleBrowser browser =
        ConsoleBrowser.signIn(
            "http://127.0.0.1:" + platform.platform().httpPort(),
            admin.createStaff("live-viewer", "viewer"));
    try (SseClient stream = SseClient.open(url(""), Map.of("cookie", browser.cookieHeader()))) {
      assertThat(stream.status()).isEqualTo(200);
      long ticketId =
          admin.openCase(
              Map.of("channel", "web", "symptom", "viewer watches", "serviceType", "repair"));
      ticketEvent(stream, ticketId, "open");

      assertThat(browser.delete("/api/v1/session", browser.csrf()).status()).isEqualTo(204);

      await().atMost(WAIT).until(stream::ended);
    }
  }

  @Test
  void disablingAStaffMemberClosesTheirStreams() {
    String token = admin.createStaff("live-disabled", "technician");
    try (SseClient stream = SseClient.open(url(""), Map.of("authorization", "Bearer " + token))) {
      assertThat(stream.status()).isEqualTo(200);

      admin.patch("/api/v1/staff/live-disabled", Map.of("disabled", true));

      await().atMost(WAIT).until(stream::ended);
    }
  }

  @Test
  void changesStillArriveAfterTheListenerLosesItsConnection() throws Exception {
    long before = listenerPid();
    // Terminates that one backend, as a database failover or a network cut would.
    assertThat(
            platform.count(
                "SELECT CASE WHEN pg_terminate_backend(?) THEN 1 ELSE 0 END", (int) before))
        .isEqualTo(1);
    await().atMost(WAIT).until(() -> listenerPid() != before && listenerPid() != 0);

    try (SseClient stream = stream("")) {
      long ticketId =
          admin.openCase(
              Map.of("channel", "phone", "symptom", "after reconnect", "serviceType", "repair"));
      ticketEvent(stream, ticketId, "open");
    }
  }

  private static List<String> metricsText() throws Exception {
    return TestHttp.CLIENT
        .send(
            TestHttp.request(
                    URI.create("http://127.0.0.1:" + platform.platform().httpPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .lines()
        .toList();
  }

  /** The backend of the live listener once it is listening, or 0 while there is none. */
  private static long listenerPid() {
    return platform.count(
        "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE application_name ="
            + " 'aftercare-live' AND query LIKE 'LISTEN%'");
  }

  private static SseClient.Event commandEvent(SseClient stream, String commandId, String status)
      throws InterruptedException {
    return stream.next(
        event ->
            event.name().equals("command")
                && event.data().get("commandId").asText().equals(commandId)
                && event.data().get("status").asText().equals(status));
  }

  private static SseClient.Event ticketEvent(SseClient stream, long ticketId, String status)
      throws InterruptedException {
    return stream.next(
        event ->
            event.name().equals("ticket")
                && event.data().get("ticketId").asLong() == ticketId
                && event.data().get("status").asText().equals(status));
  }

  private static void publish(MqttClient device, String json) throws Exception {
    device.publish(
        "devices/" + device.getClientId() + "/telemetry",
        json.getBytes(StandardCharsets.UTF_8),
        1,
        false);
  }

  /** Warm fridge readings over 40 minutes: the rules raise a temperature alarm. */
  private static void raiseFridgeWarmAlarm(String id, String token) throws Exception {
    MqttClient fridge = PahoDevices.v3(platform.mqttUri(), id, token);
    try {
      Instant t0 = Instant.now().minus(Duration.ofHours(2));
      for (int minute = 0; minute <= 40; minute += 5) {
        publish(
            fridge,
            "{\"ts\":\""
                + t0.plusSeconds(minute * 60L)
                + "\",\"metrics\":{\"fridge_temp_c\":9.5,\"door_open\":false}}");
      }
      await()
          .atMost(WAIT)
          .until(
              () -> {
                JsonNode alarms = admin.get("/api/v1/alarms?deviceId=" + id).body().get("alarms");
                return !alarms.isEmpty();
              });
    } finally {
      fridge.disconnect();
      fridge.close();
    }
  }
}
