package io.aftercare.platform.incidents;

import static org.assertj.core.api.Assertions.assertThat;
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
 * Incidents through {@code /api/v1/incidents} (docs/incidents.md): clocks per level, warnings and
 * breaches recorded once with escalation, the review required before closing, linked tickets and
 * the roles that may act.
 */
class IncidentsTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient supervisor;
  private static ApiClient technician;
  private static ApiClient viewer;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("tickets.escalationInterval", "50ms"), CLOCK);
    admin = platform.api();
    supervisor = admin.as(admin.createStaff("sue", "supervisor"));
    technician = admin.as(admin.createStaff("tom", "technician"));
    viewer = admin.as(admin.createStaff("val", "viewer"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static long declare(String level, String title) {
    ApiClient.Response declared =
        supervisor.post(
            "/api/v1/incidents",
            Map.of(
                "level",
                level,
                "title",
                title,
                "description",
                "many locks in one district report no connection",
                "customerRefs",
                List.of("C-1", "C-2", "C-1")));
    assertThat(declared.status()).isEqualTo(201);
    return declared.body().path("id").asLong();
  }

  private static JsonNode incident(long id) {
    ApiClient.Response found = viewer.get("/api/v1/incidents/" + id);
    assertThat(found.status()).isEqualTo(200);
    return found.body();
  }

  private static ApiClient.Response move(ApiClient as, long id, String to) {
    return as.post("/api/v1/incidents/" + id + "/transitions", Map.of("to", to));
  }

  private static long entries(long id, String kind) {
    return platform.count(
        "SELECT count(*) FROM incident_timeline WHERE incident_id = ? AND kind = ?", id, kind);
  }

  private static long events(long id, String type) {
    return platform.count(
        "SELECT count(*) FROM ticket_outbox WHERE incident_id = ? AND type = ?", id, type);
  }

  @Test
  void theResponseTargetFollowsTheLevelAndTheOtherClocksDoNot() {
    Map<String, Long> responseTargetHours =
        Map.of("general", 2L, "significant", 4L, "major", 4L, "especially_major", 6L);
    responseTargetHours.forEach(
        (level, hours) -> {
          JsonNode declared = incident(declare(level, level + " outage"));
          assertThat(declared.path("level").asText()).isEqualTo(level);
          assertThat(declared.path("status").asText()).isEqualTo("declared");
          assertThat(declared.path("declaredBy").asText()).isEqualTo("sue");
          assertThat(declared.path("customerRefs"))
              .extracting(JsonNode::asText)
              .containsExactly("C-1", "C-2");
          assertThat(declared.at("/clocks/response/target").asLong()).isEqualTo(hours * 3600);
          assertThat(declared.at("/clocks/response/state").asText()).isEqualTo("running");
          assertThat(declared.at("/clocks/handling/target").asLong()).isEqualTo(12 * 3600);
          assertThat(declared.at("/clocks/closure/target").asLong()).isEqualTo(24 * 3600);
          assertThat(events(declared.path("id").asLong(), "incident.declared")).isEqualTo(1);
        });
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'incident.declare' AND actor = 'sue'"
                    + " AND outcome = 'allowed'"))
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void aMissedResponseWarnsOnceBreachesOnceAndEscalatesOnce() {
    long id = declare("general", "hub firmware rollout broke pairing");

    CLOCK.advance(Duration.ofMinutes(100)); // past 75 % of the 2 h response target
    await().atMost(Duration.ofSeconds(20)).until(() -> entries(id, "sla_warning") == 1);
    assertThat(entries(id, "sla_breach")).isZero();
    assertThat(events(id, "incident.updated")).isEqualTo(1);

    CLOCK.advance(Duration.ofMinutes(30)); // 2 h 10 min: the response target is missed
    await().atMost(Duration.ofSeconds(20)).until(() -> entries(id, "sla_breach") == 1);
    JsonNode breached = incident(id);
    assertThat(breached.path("tier").asInt()).isEqualTo(2);
    assertThat(breached.at("/clocks/response/standing").asText()).isEqualTo("breached");
    assertThat(breached.at("/clocks/handling/standing").asText()).isEqualTo("on_time");
    assertThat(events(id, "incident.breached")).isEqualTo(1);

    // Later rounds of the check see the same breach and record nothing more: a second incident's
    // warning proves that a later round ran over both.
    long later = declare("general", "second outage");
    CLOCK.advance(Duration.ofMinutes(100));
    await().atMost(Duration.ofSeconds(20)).until(() -> entries(later, "sla_warning") == 1);
    assertThat(entries(id, "sla_breach")).isEqualTo(1);
    assertThat(entries(id, "escalation")).isEqualTo(1);
    assertThat(events(id, "incident.breached")).isEqualTo(1);
    assertThat(incident(id).path("tier").asInt()).isEqualTo(2);

    // Responding stops the response clock; the first-handling clock runs on.
    assertThat(move(technician, id, "responded").status()).isEqualTo(200);
    JsonNode responded = incident(id);
    assertThat(responded.at("/clocks/response/state").asText()).isEqualTo("stopped");
    assertThat(responded.at("/clocks/handling/state").asText()).isEqualTo("running");
  }

  @Test
  void anIncidentClosesOnlyAfterItsReview() {
    long id = declare("major", "cloud outage");
    assertThat(move(technician, id, "handling").status()).isEqualTo(409);
    assertThat(move(technician, id, "responded").status()).isEqualTo(200);
    assertThat(move(technician, id, "handling").status()).isEqualTo(200);
    Map<String, String> review =
        Map.of(
            "summary", "pairing failed for 2 hours",
            "rootCause", "an expired certificate",
            "actions", "certificate expiry is monitored");
    assertThat(supervisor.post("/api/v1/incidents/" + id + "/review", review).status())
        .isEqualTo(409); // not resolved yet
    assertThat(move(technician, id, "resolved").status()).isEqualTo(200);

    ApiClient.Response refused = move(supervisor, id, "closed");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.body().path("detail").asText()).contains("'review'");

    ApiClient.Response reviewed = supervisor.post("/api/v1/incidents/" + id + "/review", review);
    assertThat(reviewed.status()).isEqualTo(200);
    assertThat(reviewed.body().at("/review/rootCause").asText())
        .isEqualTo("an expired certificate");
    assertThat(reviewed.body().path("reviewedBy").asText()).isEqualTo("sue");
    assertThat(supervisor.post("/api/v1/incidents/" + id + "/review", review).status())
        .isEqualTo(409); // written once

    ApiClient.Response closed = move(supervisor, id, "closed");
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.body().path("status").asText()).isEqualTo("closed");
    assertThat(closed.body().at("/clocks/closure/state").asText()).isEqualTo("stopped");
    assertThat(closed.body().path("timeline"))
        .extracting(entry -> entry.path("kind").asText())
        .containsSubsequence("declared", "transition", "transition", "review", "transition");
    assertThat(events(id, "incident.closed")).isEqualTo(1);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'incident.review'"
                    + " AND target = 'incident/"
                    + id
                    + "' AND outcome = 'allowed'"))
        .isEqualTo(1); // a refused review changed nothing: its audit entry is rolled back with it
  }

  @Test
  void ticketsAreLinkedToOneIncident() {
    long id = declare("especially_major", "region-wide power cut");
    long other = declare("general", "another incident");
    long ticketId =
        technician
            .post(
                "/api/v1/tickets",
                Map.of(
                    "channel", "phone",
                    "symptom", "the lock is offline",
                    "customerRef", "C-1",
                    "serviceType", "repair"))
            .body()
            .path("id")
            .asLong();

    ApiClient.Response linked =
        technician.post("/api/v1/incidents/" + id + "/tickets", Map.of("ticketId", ticketId));
    assertThat(linked.status()).isEqualTo(200);
    assertThat(linked.body().path("ticketIds"))
        .extracting(JsonNode::asLong)
        .containsExactly(ticketId);
    assertThat(
            technician
                .post("/api/v1/incidents/" + id + "/tickets", Map.of("ticketId", ticketId))
                .status())
        .isEqualTo(200); // again: nothing changes
    assertThat(entries(id, "ticket_linked")).isEqualTo(1);
    assertThat(admin.get("/api/v1/tickets/" + ticketId).body().path("timeline"))
        .extracting(entry -> entry.path("kind").asText())
        .contains("incident_linked");

    ApiClient.Response elsewhere =
        technician.post("/api/v1/incidents/" + other + "/tickets", Map.of("ticketId", ticketId));
    assertThat(elsewhere.status()).isEqualTo(409);

    ApiClient.Response unknown =
        technician.post("/api/v1/incidents/" + id + "/tickets", Map.of("ticketId", 999999));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().path("detail").asText()).contains("'ticketId'");
  }

  @Test
  void onlySupervisorsDeclareReviewAndClose() {
    Map<String, Object> body =
        Map.of("level", "general", "title", "outage", "description", "no connection");
    ApiClient.Response byTechnician = technician.post("/api/v1/incidents", body);
    assertThat(byTechnician.status()).isEqualTo(403);
    assertThat(byTechnician.contentType()).startsWith("application/problem+json");
    long id = declare("general", "for the roles");
    assertThat(move(viewer, id, "responded").status()).isEqualTo(403);
    assertThat(move(technician, id, "closed").status()).isEqualTo(403);
    assertThat(
            technician
                .post(
                    "/api/v1/incidents/" + id + "/review",
                    Map.of("summary", "s", "rootCause", "r", "actions", "a"))
                .status())
        .isEqualTo(403);
    // A refusal is audited next to the answer, not before it: wait for the entry.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM audit_log WHERE action = 'incident.declare'"
                            + " AND actor = 'tom' AND outcome = 'denied'")
                    == 1);
    assertThat(viewer.get("/api/v1/incidents?level=general").body().path("incidents")).isNotEmpty();
  }

  @Test
  void invalidDeclarationsAreRefusedNamingTheField() {
    assertRefused(Map.of("level", "apocalyptic", "title", "t", "description", "d"), "level");
    assertRefused(Map.of("title", "t", "description", "d"), "level");
    assertRefused(Map.of("level", "major", "description", "d"), "title");
    assertRefused(Map.of("level", "major", "title", "x".repeat(201), "description", "d"), "title");
    assertRefused(Map.of("level", "major", "title", "t"), "description");
    assertRefused(
        Map.of("level", "major", "title", "t", "description", "d", "deviceIds", List.of("nope")),
        "deviceIds");
    assertThat(viewer.get("/api/v1/incidents?status=burning").status()).isEqualTo(400);
  }

  private static void assertRefused(Map<String, Object> body, String field) {
    ApiClient.Response refused = supervisor.post("/api/v1/incidents", body);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.body().path("detail").asText()).contains("'" + field + "'");
  }
}
