package io.aftercare.platform.api;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The answers of the incident and complaint routes, including refusals, breached clocks and linked
 * tickets, declare no property that openapi.yaml does not.
 */
class IncidentAndComplaintSchemasTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));

  private static TestPlatform platform;
  private static ApiClient admin;
  private static JsonNode document;
  private static DeclaredProperties schemas;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("tickets.escalationInterval", "50ms"), CLOCK);
    admin = platform.api();
    document = admin.as(null).get("/api/v1/openapi.json").body();
    schemas = new DeclaredProperties(document);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void incidentAnswersFitTheirSchemas() {
    admin.provisionDevice("sc-lock", "door_lock");
    ApiClient.Response declared =
        admin.post(
            "/api/v1/incidents",
            Map.of(
                "level", "significant",
                "title", "locks offline",
                "description", "a district lost its connection",
                "deviceIds", List.of("sc-lock"),
                "customerRefs", List.of("C-9")));
    schemas.assertFits(declared, "/api/v1/incidents", "post");
    long id = declared.body().path("id").asLong();
    String path = "/api/v1/incidents/" + id;
    CLOCK.advance(Duration.ofHours(5));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> admin.get(path).body().path("tier").asInt() == 2);
    long ticketId =
        admin
            .post(
                "/api/v1/tickets",
                Map.of("channel", "web", "symptom", "offline", "serviceType", "repair"))
            .body()
            .path("id")
            .asLong();
    schemas.assertFits(
        admin.post(path + "/tickets", Map.of("ticketId", ticketId)),
        "/api/v1/incidents/{id}/tickets",
        "post");
    schemas.assertFits(admin.get("/api/v1/tickets/" + ticketId), "/api/v1/tickets/{id}", "get");
    for (String to : List.of("responded", "handling", "resolved")) {
      schemas.assertFits(
          admin.post(path + "/transitions", Map.of("to", to, "note", "step")),
          "/api/v1/incidents/{id}/transitions",
          "post");
    }
    schemas.assertFits(
        admin.post(path + "/transitions", Map.of("to", "closed")),
        "/api/v1/incidents/{id}/transitions",
        "post");
    schemas.assertFits(
        admin.post(
            path + "/review",
            Map.of("summary", "offline 5 h", "rootCause", "a broker crash", "actions", "alerting")),
        "/api/v1/incidents/{id}/review",
        "post");
    schemas.assertFits(
        admin.post(path + "/transitions", Map.of("to", "closed")),
        "/api/v1/incidents/{id}/transitions",
        "post");
    schemas.assertFits(admin.get(path), "/api/v1/incidents/{id}", "get");
    schemas.assertFits(admin.get("/api/v1/incidents"), "/api/v1/incidents", "get");
    schemas.assertFits(admin.get("/api/v1/incidents/424242"), "/api/v1/incidents/{id}", "get");
  }

  @Test
  void complaintAnswersFitTheirSchemas() {
    ApiClient.Response filed =
        admin.post(
            "/api/v1/complaints",
            Map.of("channel", "messaging", "customerRef", "C-10", "text", "no answer"));
    schemas.assertFits(filed, "/api/v1/complaints", "post");
    long id = filed.body().path("id").asLong();
    String path = "/api/v1/complaints/" + id;
    CLOCK.advance(Duration.ofHours(25));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> admin.get(path).body().path("tier").asInt() == 2);
    schemas.assertFits(admin.get(path), "/api/v1/complaints/{id}", "get");
    schemas.assertFits(
        admin.post(path + "/response", Map.of("text", "sorry")),
        "/api/v1/complaints/{id}/response",
        "post");
    schemas.assertFits(
        admin.post(path + "/notes", Map.of("text", "checked")),
        "/api/v1/complaints/{id}/notes",
        "post");
    schemas.assertFits(
        admin.post(path + "/resolution", Map.of("resolution", "refund")),
        "/api/v1/complaints/{id}/resolution",
        "post");
    schemas.assertFits(
        admin.post(path + "/confirmation", Map.of("confirmed", true, "comment", "fine")),
        "/api/v1/complaints/{id}/confirmation",
        "post");
    schemas.assertFits(
        admin.post(path + "/notes", Map.of("text", "late")),
        "/api/v1/complaints/{id}/notes",
        "post");
    schemas.assertFits(admin.get("/api/v1/complaints"), "/api/v1/complaints", "get");
    schemas.assertFits(
        admin.post("/api/v1/complaints", Map.of("channel", "web", "text", "t")),
        "/api/v1/complaints",
        "post");
  }
}
