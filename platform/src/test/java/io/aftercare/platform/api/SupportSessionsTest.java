package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Owner-consented support sessions end to end (docs/privacy.md, "Support sessions"): the owner
 * grants, lists and revokes sessions through their case's link; staff commands beyond read-only
 * diagnostics are refused without a session covering the device and the class, and delivered to a
 * real MQTT device within one; the owner reads what staff did. Time moves with the service desk's
 * clock, which the links and sessions run on.
 */
class SupportSessionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
  private static final String SESSIONS = "/api/v1/customer/case/support-sessions";
  private static final String CONSENT_REQUIRED = "urn:aftercare:problem:owner-consent-required";
  private static final AtomicInteger HOME = new AtomicInteger();

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient technician;
  private static DeclaredProperties schemas;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("commands.requireOwnerConsent", "true"), CLOCK);
    admin = platform.api();
    technician = admin.as(admin.createStaff("ss-tech", "technician"));
    schemas = new DeclaredProperties(admin.as(null).get("/api/v1/openapi.json").body());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** A home with a door lock and a camera, the lock's case and the owner's app on its link. */
  private record Home(
      String id,
      String lock,
      String lockToken,
      String camera,
      long caseId,
      String linkId,
      ApiClient owner) {}

  private static Home home() {
    int n = HOME.incrementAndGet();
    String homeId = "home-ss-" + n;
    String lock = "ss-lock-" + n;
    String camera = "ss-cam-" + n;
    String lockToken = provision(lock, "door_lock", homeId).token();
    provision(camera, "camera", homeId);
    ApiClient.Response opened =
        technician.post(
            "/api/v1/tickets",
            Map.of(
                "channel", "app",
                "symptom", "the lock does not lock by itself any more",
                "deviceId", lock,
                "serviceType", "repair"));
    assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
    long caseId = opened.body().get("id").asLong();
    ApiClient.Response link =
        technician.post("/api/v1/tickets/" + caseId + "/customer-links", Map.of());
    assertThat(link.status()).isEqualTo(201);
    return new Home(
        homeId,
        lock,
        lockToken,
        camera,
        caseId,
        link.body().get("linkId").asText(),
        admin.as(link.body().get("token").asText()));
  }

  private static ApiClient.DeviceCredentials provision(String id, String type, String homeId) {
    return admin.provisionDevice(
        Map.of(
            "id",
            id,
            "type",
            type,
            "model",
            "M-1",
            "firmware",
            "1.0.0",
            "homeId",
            homeId,
            "customerRef",
            "C-" + homeId,
            "customerTier",
            "standard",
            "soldOn",
            "2025-06-01"));
  }

  private static ApiClient.Response grant(Home home, Map<String, Object> body) {
    return home.owner().post(SESSIONS, body);
  }

  private static String granted(Home home, Map<String, Object> body) {
    ApiClient.Response granted = grant(home, body);
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    schemas.assertFits(granted, SESSIONS, "post");
    assertThat(granted.body().get("status").asText()).isEqualTo("active");
    return granted.body().get("id").asText();
  }

  private static ApiClient.Response send(String deviceId, String name, Map<String, Object> params) {
    return technician.post(
        "/api/v1/devices/" + deviceId + "/commands", Map.of("name", name, "params", params));
  }

  private static Map<String, Object> autoLock(int seconds) {
    return Map.of("key", "auto_lock_s", "value", String.valueOf(seconds));
  }

  private static String accepted(ApiClient.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return response.body().get("commandId").asText();
  }

  private static void assertNeedsConsent(
      ApiClient.Response response, String deviceId, String commandClass) {
    assertThat(response.status()).as(response.toString()).isEqualTo(403);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body().get("type").asText()).isEqualTo(CONSENT_REQUIRED);
    assertThat(response.body().get("deviceId").asText()).isEqualTo(deviceId);
    assertThat(response.body().get("commandClass").asText()).isEqualTo(commandClass);
    assertThat(response.body().get("detail").asText()).contains("owner's consent");
    schemas.assertFits(response, "/api/v1/devices/{id}/commands", "post");
  }

  private static JsonNode command(String commandId) {
    return admin.get("/api/v1/commands/" + commandId).body();
  }

  private static JsonNode activity(Home home, String sessionId) {
    ApiClient.Response activity = home.owner().get(SESSIONS + "/" + sessionId + "/activity");
    assertThat(activity.status()).isEqualTo(200);
    schemas.assertFits(activity, SESSIONS + "/{sessionId}/activity", "get");
    return activity.body().get("actions");
  }

  /** A real MQTT device that records the commands it receives and can answer them. */
  private record Device(String id, MqttClient client, BlockingQueue<JsonNode> received) {
    static Device connect(String id, String token) throws Exception {
      MqttClient client = PahoDevices.v3(platform.mqttUri(), id, token);
      BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
      client.subscribe(
          "devices/" + id + "/commands",
          1,
          (topic, message) -> received.add(JSON.readTree(message.getPayload())));
      return new Device(id, client, received);
    }

    void succeeded(String commandId) throws Exception {
      String result = "{\"commandId\":\"" + commandId + "\",\"status\":\"succeeded\"}";
      client.publish(
          "devices/" + id + "/commands/result", result.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    JsonNode next() throws InterruptedException {
      JsonNode command = received.poll(15, TimeUnit.SECONDS);
      assertThat(command).as("a command reaches the device").isNotNull();
      return command;
    }

    void close() throws Exception {
      client.disconnect();
      client.close();
    }
  }

  @Test
  void aLockCommandIsRefusedWithoutTheOwnersSessionAndDeliveredWithinOne() throws Exception {
    Home home = home();
    Device lock = Device.connect(home.lock(), home.lockToken());
    try {
      assertNeedsConsent(send(home.lock(), "set_config", autoLock(30)), home.lock(), "lock");
      // A refusal's entry is written on its own, next to the answer.
      String deniedPath =
          "/api/v1/audit?actor=ss-tech&action=command.submit&target=device/" + home.lock();
      JsonNode denied =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> admin.get(deniedPath).body().get("entries"), e -> !e.isEmpty());
      assertThat(denied.get(0).get("outcome").asText()).isEqualTo("denied");
      assertThat(denied.get(0).at("/detail/commandClass").asText()).isEqualTo("lock");

      String sessionId =
          granted(home, Map.of("commandClasses", List.of("lock"), "validFor", "30m"));
      String commandId = accepted(send(home.lock(), "set_config", autoLock(30)));

      assertThat(lock.next().get("commandId").asText()).isEqualTo(commandId);
      lock.succeeded(commandId);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> command(commandId).get("status").asText().equals("succeeded"));
      JsonNode audited =
          admin.get("/api/v1/audit?action=command.submit&target=command/" + commandId).body();
      assertThat(audited.at("/entries/0/detail/supportSession").asText()).isEqualTo(sessionId);

      JsonNode actions = activity(home, sessionId);
      assertThat(actions).hasSize(1);
      assertThat(actions.get(0).get("by").asText()).isEqualTo("technician");
      assertThat(actions.get(0).get("deviceId").asText()).isEqualTo(home.lock());
      assertThat(actions.get(0).get("command").asText()).isEqualTo("set_config");
      assertThat(actions.get(0).get("commandClass").asText()).isEqualTo("lock");
      assertThat(actions.get(0).get("status").asText()).isEqualTo("succeeded");
      assertThat(actions.get(0).toString()).doesNotContain("ss-tech");

      JsonNode staffView = admin.get("/api/v1/devices/" + home.lock() + "/support-sessions").body();
      assertThat(staffView.at("/sessions/0/id").asText()).isEqualTo(sessionId);
      schemas.assertFits(
          admin.get("/api/v1/devices/" + home.lock() + "/support-sessions"),
          "/api/v1/devices/{id}/support-sessions",
          "get");
    } finally {
      lock.close();
    }
  }

  @Test
  void readOnlyDiagnosticsNeedNoSession() {
    Home home = home();
    JsonNode catalog = technician.get("/api/v1/devices/" + home.lock() + "/command-catalog").body();
    for (JsonNode command : catalog.get("commands")) {
      assertThat(command.get("needsConsent").asBoolean())
          .as(command.toString())
          .isEqualTo(!"diagnostics".equals(command.path("commandClass").asText()));
    }
    assertThat(catalog.at("/configKeyClasses/auto_lock_s").asText()).isEqualTo("lock");

    accepted(send(home.camera(), "run_self_test", Map.of("component", "all")));
    accepted(send(home.camera(), "collect_logs", Map.of("minutes", 5)));
    accepted(send(home.lock(), "identify", Map.of("seconds", 3)));
    assertThat(home.owner().get(SESSIONS).body().get("sessions")).isEmpty();
  }

  @Test
  void aSessionCoversOnlyItsDevicesAndItsCommandClasses() {
    Home home = home();
    granted(home, Map.of("commandClasses", List.of("lock")));

    // Another class on the same device.
    assertNeedsConsent(send(home.lock(), "reboot", Map.of()), home.lock(), "restart");
    // The same home's camera, which the session does not name.
    Map<String, Object> sensitivity = Map.of("key", "motion_sensitivity", "value", "4");
    assertNeedsConsent(send(home.camera(), "set_config", sensitivity), home.camera(), "camera");

    granted(
        home,
        Map.of(
            "devices", List.of(home.lock(), home.camera()), "commandClasses", List.of("camera")));
    accepted(send(home.camera(), "set_config", sensitivity));
    assertNeedsConsent(send(home.camera(), "reboot", Map.of()), home.camera(), "restart");

    // A device of another home cannot be put into this case's session; nor can diagnostics.
    Home neighbour = home();
    ApiClient.Response foreign =
        grant(
            home,
            Map.of("devices", List.of(neighbour.camera()), "commandClasses", List.of("camera")));
    assertThat(foreign.status()).isEqualTo(400);
    assertThat(foreign.body().get("detail").asText()).contains("'devices[0]'");
    ApiClient.Response diagnostics = grant(home, Map.of("commandClasses", List.of("diagnostics")));
    assertThat(diagnostics.status()).isEqualTo(400);
    assertThat(diagnostics.body().get("detail").asText()).contains("'commandClasses[0]'");
    // Nor can one case's link see or revoke another case's session.
    String theirs = granted(neighbour, Map.of("commandClasses", List.of("restart")));
    assertThat(home.owner().delete(SESSIONS + "/" + theirs).status()).isEqualTo(404);
    assertThat(home.owner().get(SESSIONS + "/" + theirs + "/activity").status()).isEqualTo(404);
  }

  @Test
  void aRevokedSessionLetsNothingMoreThroughAndItsUndeliveredCommandsAreNeverDelivered()
      throws Exception {
    Home home = home();
    String sessionId = granted(home, Map.of("commandClasses", List.of("restart", "lock")));
    // The lock is offline: the reboot waits in the queue.
    String waiting = accepted(send(home.lock(), "reboot", Map.of()));

    ApiClient.Response revoked = home.owner().delete(SESSIONS + "/" + sessionId);
    assertThat(revoked.status()).isEqualTo(200);
    schemas.assertFits(revoked, SESSIONS + "/{sessionId}", "delete");
    assertThat(revoked.body().get("status").asText()).isEqualTo("revoked");

    assertNeedsConsent(send(home.lock(), "reboot", Map.of()), home.lock(), "restart");
    JsonNode withdrawn = command(waiting);
    assertThat(withdrawn.get("status").asText()).isEqualTo("expired");
    assertThat(withdrawn.get("transitions").findValuesAsText("note"))
        .contains("the owner's support session ended before delivery");

    assertOnlyDiagnosticsReach(home);
    assertThat(activity(home, sessionId).get(0).get("status").asText()).isEqualTo("expired");
  }

  @Test
  void aBulkBatchReachesOnlyTheDevicesASessionCovers() {
    Home home = home();
    granted(home, Map.of("commandClasses", List.of("restart")));

    ApiClient.Response accepted =
        technician.post(
            "/api/v1/bulk-commands",
            Map.of("filter", Map.of("home", home.id()), "command", "reboot", "expectedCount", 2));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String batch = "/api/v1/bulk-commands/" + accepted.body().get("id").asText();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> admin.get(batch).body().get("status").asText().equals("done"));

    Map<String, JsonNode> results = new HashMap<>();
    admin.get(batch).body().get("results").forEach(r -> results.put(r.get("deviceId").asText(), r));
    assertThat(results.get(home.lock()).get("status").asText()).isEqualTo("queued");
    assertThat(results.get(home.camera()).get("status").asText()).isEqualTo("refused");
    assertThat(results.get(home.camera()).get("error").asText()).contains("owner's consent");
  }

  @Test
  void staffRevokingTheCaseLinkEndsTheSessionsGrantedThroughIt() {
    Home home = home();
    granted(home, Map.of("commandClasses", List.of("restart")));
    accepted(send(home.lock(), "reboot", Map.of()));

    ApiClient.Response revoked =
        technician.delete("/api/v1/tickets/" + home.caseId() + "/customer-links/" + home.linkId());
    assertThat(revoked.status()).isEqualTo(204);

    assertNeedsConsent(send(home.lock(), "reboot", Map.of()), home.lock(), "restart");
    assertThat(
            admin
                .get("/api/v1/devices/" + home.lock() + "/support-sessions")
                .body()
                .get("sessions"))
        .isEmpty();
  }

  @Test
  void anExpiredSessionLetsNothingMoreThroughAndItsUndeliveredCommandsAreNeverDelivered()
      throws Exception {
    Home home = home();
    String sessionId =
        granted(home, Map.of("commandClasses", List.of("restart"), "validFor", "10m"));
    String waiting = accepted(send(home.lock(), "reboot", Map.of()));

    CLOCK.advance(Duration.ofMinutes(10));

    assertNeedsConsent(send(home.lock(), "reboot", Map.of()), home.lock(), "restart");
    JsonNode listed = home.owner().get(SESSIONS).body().get("sessions");
    assertThat(listed.get(0).get("id").asText()).isEqualTo(sessionId);
    assertThat(listed.get(0).get("status").asText()).isEqualTo("expired");
    assertThat(
            admin
                .get("/api/v1/devices/" + home.lock() + "/support-sessions")
                .body()
                .get("sessions"))
        .isEmpty();

    assertOnlyDiagnosticsReach(home);
    JsonNode withdrawn = command(waiting);
    assertThat(withdrawn.get("status").asText()).isEqualTo("expired");
    assertThat(withdrawn.get("transitions").findValuesAsText("note"))
        .contains("the owner's support session ended before delivery");
  }

  @Test
  void aSessionIsGrantedForBoundedTimesOnAnOpenCaseOnly() {
    Home home = home();
    for (String validFor : List.of("1m", "25h", "soon")) {
      ApiClient.Response refused =
          grant(home, Map.of("commandClasses", List.of("lock"), "validFor", validFor));
      assertThat(refused.status()).as(validFor).isEqualTo(400);
      assertThat(refused.body().get("detail").asText()).contains("'validFor'");
    }
    assertThat(grant(home, Map.of()).status()).isEqualTo(400);
    assertThat(
            admin
                .as("v1.1.1.x.y")
                .post(SESSIONS, Map.of("commandClasses", List.of("lock")))
                .status())
        .isEqualTo(401);

    String sessionId = granted(home, Map.of("commandClasses", List.of("lock")));
    JsonNode session = home.owner().get(SESSIONS).body().at("/sessions/0");
    assertThat(session.get("id").asText()).isEqualTo(sessionId);
    assertThat(
            Duration.between(
                Instant.parse(session.get("grantedAt").asText()),
                Instant.parse(session.get("expiresAt").asText())))
        .isEqualTo(Duration.ofHours(1));
    schemas.assertFits(home.owner().get(SESSIONS), SESSIONS, "get");
  }

  /**
   * The device connects now: the first command it gets is a diagnostic sent after the withdrawn
   * one, so the withdrawn one never reached it.
   */
  private static void assertOnlyDiagnosticsReach(Home home) throws Exception {
    Device lock = Device.connect(home.lock(), home.lockToken());
    try {
      String identify = accepted(send(home.lock(), "identify", Map.of("seconds", 2)));
      JsonNode first = lock.next();
      assertThat(first.get("commandId").asText()).as(first.toString()).isEqualTo(identify);
    } finally {
      lock.close();
    }
  }
}
