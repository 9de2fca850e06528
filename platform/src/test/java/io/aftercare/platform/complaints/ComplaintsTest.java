package io.aftercare.platform.complaints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Complaints through {@code /api/v1/complaints} (docs/complaints.md): linked to a case or
 * standalone, owned by whoever took them, answered within 24 h or escalated once, investigated with
 * append-only notes, resolved and confirmed by the customer.
 */
class ComplaintsTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient technician;
  private static ApiClient colleague;
  private static ApiClient viewer;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("tickets.escalationInterval", "50ms"), CLOCK);
    admin = platform.api();
    technician = admin.as(admin.createStaff("cora", "technician"));
    colleague = admin.as(admin.createStaff("carl", "technician"));
    viewer = admin.as(admin.createStaff("vera", "viewer"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static long reportedCase(String customerRef) {
    return technician.openCase(
        Map.of(
            "channel", "phone",
            "symptom", "the boiler does not heat",
            "customerRef", customerRef,
            "serviceType", "repair"));
  }

  private static JsonNode file(Map<String, Object> body) {
    ApiClient.Response filed = technician.post("/api/v1/complaints", body);
    assertThat(filed.status()).isEqualTo(201);
    return filed.body();
  }

  private static long entries(long id, String kind) {
    return platform.count(
        "SELECT count(*) FROM complaint_entries WHERE complaint_id = ? AND kind = ?", id, kind);
  }

  private static long events(long id, String type) {
    return platform.count(
        "SELECT count(*) FROM ticket_outbox WHERE complaint_id = ? AND type = ?", id, type);
  }

  @Test
  void aComplaintAboutACaseTakesItsCustomerAndShowsOnTheCase() {
    long ticketId = reportedCase("C-4004");

    JsonNode complaint =
        file(Map.of("channel", "app", "text", "nobody came to fix it", "ticketId", ticketId));

    long id = complaint.path("id").asLong();
    assertThat(complaint.path("ticketId").asLong()).isEqualTo(ticketId);
    assertThat(complaint.path("customerRef").asText()).isEqualTo("C-4004");
    assertThat(complaint.path("channel").asText()).isEqualTo("app");
    assertThat(complaint.path("status").asText()).isEqualTo("received");
    assertThat(complaint.path("owner").asText()).isEqualTo("cora");
    assertThat(complaint.at("/responseClock/target").asLong()).isEqualTo(24 * 3600);
    assertThat(complaint.at("/responseClock/state").asText()).isEqualTo("running");
    assertThat(events(id, "complaint.received")).isEqualTo(1);
    assertThat(admin.get("/api/v1/tickets/" + ticketId).body().path("timeline"))
        .extracting(entry -> entry.path("kind").asText())
        .contains("complaint_filed");
    assertThat(viewer.get("/api/v1/complaints?ticketId=" + ticketId).body().path("complaints"))
        .extracting(found -> found.path("id").asLong())
        .containsExactly(id);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'complaint.file' AND actor = 'cora'"
                    + " AND outcome = 'allowed' AND (detail ->> 'ticketId')::bigint = ?",
                ticketId))
        .isEqualTo(1);
  }

  @Test
  void aStandaloneComplaintIsWorkedToTheCustomersConfirmation() {
    JsonNode complaint =
        file(Map.of("channel", "phone", "customerRef", "C-5005", "text", "rude technician"));
    long id = complaint.path("id").asLong();
    assertThat(complaint.has("ticketId")).isFalse();
    String path = "/api/v1/complaints/" + id;

    assertThat(colleague.post(path + "/resolution", Map.of("resolution", "x")).status())
        .isEqualTo(409); // the customer is answered first
    ApiClient.Response answered =
        colleague.post(path + "/response", Map.of("text", "we are sorry and are looking into it"));
    assertThat(answered.status()).isEqualTo(200);
    assertThat(answered.body().path("respondedBy").asText()).isEqualTo("carl");
    assertThat(answered.body().path("owner").asText()).isEqualTo("cora"); // first contact owns it
    assertThat(answered.body().at("/responseClock/state").asText()).isEqualTo("stopped");
    assertThat(colleague.post(path + "/response", Map.of("text", "again")).status()).isEqualTo(409);

    assertThat(technician.post(path + "/notes", Map.of("text", "spoke to the technician")).status())
        .isEqualTo(200);
    assertThat(technician.post(path + "/notes", Map.of("text", "visit log checked")).status())
        .isEqualTo(200);
    assertThat(technician.post(path + "/resolution", Map.of("resolution", "apology and a voucher")))
        .extracting(ApiClient.Response::status)
        .isEqualTo(200);

    // The customer is not satisfied: back to investigation, then resolved again and confirmed.
    ApiClient.Response refused =
        technician.post(
            path + "/confirmation", Map.of("confirmed", false, "comment", "voucher too small"));
    assertThat(refused.status()).isEqualTo(200);
    assertThat(refused.body().path("status").asText()).isEqualTo("responded");
    assertThat(refused.body().path("confirmed").asBoolean(true)).isFalse();
    technician.post(path + "/resolution", Map.of("resolution", "a larger voucher"));
    ApiClient.Response confirmed =
        technician.post(path + "/confirmation", Map.of("confirmed", true, "comment", "thanks"));
    assertThat(confirmed.status()).isEqualTo(200);
    assertThat(confirmed.body().path("status").asText()).isEqualTo("closed");
    assertThat(confirmed.body().path("confirmed").asBoolean()).isTrue();
    assertThat(confirmed.body().path("confirmedBy").asText()).isEqualTo("cora");
    assertThat(confirmed.body().path("record"))
        .extracting(entry -> entry.path("kind").asText())
        .containsExactly(
            "received",
            "response",
            "note",
            "note",
            "resolution",
            "confirmation",
            "resolution",
            "confirmation");
    assertThat(events(id, "complaint.closed")).isEqualTo(1);
    assertThat(technician.post(path + "/notes", Map.of("text", "late")).status()).isEqualTo(409);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE target = ? AND outcome = 'allowed'",
                "complaint/" + id))
        .isEqualTo(7); // every successful action after filing (filed under "complaints")
  }

  @Test
  void anUnansweredComplaintWarnsThenBreachesOnceAndEscalates() {
    long id =
        file(Map.of("channel", "web", "customerRef", "C-6006", "text", "still broken"))
            .path("id")
            .asLong();

    CLOCK.advance(Duration.ofHours(19)); // past 75 % of 24 h
    await().atMost(Duration.ofSeconds(20)).until(() -> entries(id, "sla_warning") == 1);
    assertThat(entries(id, "sla_breach")).isZero();

    CLOCK.advance(Duration.ofHours(6)); // 25 h: not answered within 24 h
    await().atMost(Duration.ofSeconds(20)).until(() -> entries(id, "sla_breach") == 1);
    JsonNode breached = viewer.get("/api/v1/complaints/" + id).body();
    assertThat(breached.path("tier").asInt()).isEqualTo(2);
    assertThat(breached.path("owner").asText()).isEqualTo("cora");
    assertThat(breached.at("/responseClock/standing").asText()).isEqualTo("breached");
    assertThat(events(id, "complaint.breached")).isEqualTo(1);

    // A later complaint's warning proves a later round of the check ran over this one too.
    long later =
        file(Map.of("channel", "web", "customerRef", "C-6007", "text", "me too"))
            .path("id")
            .asLong();
    CLOCK.advance(Duration.ofHours(19));
    await().atMost(Duration.ofSeconds(20)).until(() -> entries(later, "sla_warning") == 1);
    assertThat(entries(id, "sla_breach")).isEqualTo(1);
    assertThat(entries(id, "escalation")).isEqualTo(1);
    assertThat(events(id, "complaint.breached")).isEqualTo(1);
  }

  @Test
  void invalidComplaintsAreRefusedNamingTheField() {
    assertRefused(Map.of("channel", "fax", "customerRef", "C-1", "text", "t"), 400, "channel");
    assertRefused(Map.of("customerRef", "C-1", "text", "t"), 400, "channel");
    assertRefused(Map.of("channel", "web", "customerRef", "C-1"), 400, "text");
    assertRefused(
        Map.of("channel", "web", "customerRef", "C-1", "text", "x".repeat(4001)), 400, "text");
    assertRefused(
        Map.of("channel", "web", "text", "standalone needs a customer"), 400, "customerRef");
    assertRefused(Map.of("channel", "web", "text", "t", "ticketId", 999999), 404, "ticketId");

    long id =
        file(Map.of("channel", "web", "customerRef", "C-7007", "text", "t")).path("id").asLong();
    ApiClient.Response noAnswer =
        technician.post("/api/v1/complaints/" + id + "/response", new HashMap<String, Object>());
    assertThat(noAnswer.status()).isEqualTo(400);
    ApiClient.Response noText =
        technician.post("/api/v1/complaints/" + id + "/notes", Map.of("text", " "));
    assertThat(noText.body().path("detail").asText()).contains("'text'");
    ApiClient.Response noConfirmed =
        technician.post("/api/v1/complaints/" + id + "/confirmation", Map.of("comment", "ok"));
    assertThat(noConfirmed.status()).isEqualTo(400);
    assertThat(noConfirmed.body().path("detail").asText()).contains("'confirmed'");
  }

  @Test
  void aViewerCannotRecordOrWorkAComplaint() {
    ApiClient.Response refused =
        viewer.post(
            "/api/v1/complaints", Map.of("channel", "web", "customerRef", "C-1", "text", "t"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    long id =
        file(Map.of("channel", "web", "customerRef", "C-8008", "text", "t")).path("id").asLong();
    assertThat(viewer.post("/api/v1/complaints/" + id + "/notes", Map.of("text", "n")).status())
        .isEqualTo(403);
    // A refusal is audited next to the answer, not before it: wait for both entries.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM audit_log WHERE actor = 'vera' AND outcome = 'denied'"
                            + " AND action IN ('complaint.file', 'complaint.note')")
                    == 2);
  }

  private static void assertRefused(Map<String, Object> body, int status, String field) {
    ApiClient.Response refused = technician.post("/api/v1/complaints", body);
    assertThat(refused.status()).isEqualTo(status);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.body().path("detail").asText()).contains("'" + field + "'");
  }
}
