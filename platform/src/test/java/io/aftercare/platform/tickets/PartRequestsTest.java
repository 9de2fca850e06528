package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * Spare parts through the REST API (docs/dispatch.md): a part request puts a ticket in progress on
 * hold (the repair clock pauses), issuing the last open request resumes it, and every issue is in
 * the append-only issue log.
 */
class PartRequestsTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2027-04-05T08:00:00Z"));

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient viewer;
  private static ApiClient technician;
  private static ApiClient store;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of(), CLOCK);
    admin = platform.api();
    viewer = admin.as(admin.createStaff("vic", "viewer"));
    technician = admin.as(admin.createStaff("tom", "technician"));
    store = admin.as(admin.createStaff("sam", "technician"));
    admin.qualify("tom", "fridge");
    admin.post(
        "/api/v1/devices",
        Map.of(
            "id", "fridge-p1",
            "type", "fridge",
            "model", "FR-200",
            "customerRef", "C-4004",
            "soldOn", "2026-09-01"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** A reported case for the fridge, moved to {@code status} through the work states. */
  private static long caseIn(String... path) {
    long id =
        technician.openCase(
            Map.of(
                "channel", "phone",
                "symptom", "the compressor clicks",
                "deviceId", "fridge-p1",
                "serviceType", "repair"));
    for (String to : path) {
      technician.moveTicket(
          id,
          to.equals("dispatched")
              ? Map.of("to", to, "assignee", "tom", "channel", "on_site")
              : Map.of("to", to));
    }
    return id;
  }

  private static ApiClient.Response request(long ticketId, Map<String, Object> body) {
    return technician.post("/api/v1/tickets/" + ticketId + "/part-requests", body);
  }

  @Test
  void thePauseForPartsEndsWhenTheLastRequestIsIssued() {
    long id = caseIn("acknowledged", "dispatched", "in_progress");

    ApiClient.Response compressor =
        request(id, Map.of("partNumber", "CMP-220", "quantity", 1, "model", "C-2"));
    assertThat(compressor.status()).isEqualTo(201);
    assertThat(compressor.body().path("status").asText()).isEqualTo("open");
    assertThat(viewer.ticket(id).path("status").asText()).isEqualTo("awaiting_parts");
    ApiClient.Response fan = request(id, Map.of("partNumber", "FAN-9", "quantity", 2));
    assertThat(fan.status()).isEqualTo(201);

    CLOCK.advance(Duration.ofHours(2));
    ApiClient.Response first =
        store.post("/api/v1/part-requests/" + compressor.body().path("id").asLong() + "/issue", "");
    assertThat(first.status()).isEqualTo(201);
    assertThat(viewer.ticket(id).path("status").asText())
        .as("one request is still open")
        .isEqualTo("awaiting_parts");
    assertThat(
            store
                .post(
                    "/api/v1/part-requests/" + compressor.body().path("id").asLong() + "/issue", "")
                .status())
        .isEqualTo(409);

    CLOCK.advance(Duration.ofHours(1));
    assertThat(
            store
                .post("/api/v1/part-requests/" + fan.body().path("id").asLong() + "/issue", "")
                .status())
        .isEqualTo(201);
    JsonNode resumed = viewer.ticket(id);
    assertThat(resumed.path("status").asText()).isEqualTo("in_progress");
    assertThat(resumed.at("/sla/repair/paused").asDouble())
        .as("three hours waiting for parts, off the repair clock")
        .isEqualTo(Duration.ofHours(3).toSeconds());
    assertThat(resumed.path("partRequests"))
        .extracting(r -> r.path("partNumber").asText() + ":" + r.path("status").asText())
        .containsExactly("CMP-220:issued", "FAN-9:issued");
    JsonNode timeline = resumed.path("timeline");
    JsonNode last = timeline.get(timeline.size() - 1);
    assertThat(last.path("kind").asText()).isEqualTo("transition");
    assertThat(last.path("from").asText()).isEqualTo("awaiting_parts");
    assertThat(last.path("to").asText()).isEqualTo("in_progress");
    assertThat(last.path("actor").asText())
        .as("the issuing actor resumes the work")
        .isEqualTo("sam");
    assertThat(resumed.path("timeline"))
        .extracting(e -> e.path("kind").asText())
        .containsSubsequence(
            "part_requested",
            "transition",
            "part_requested",
            "part_issued",
            "part_issued",
            "transition");
    assertThat(platform.outboxEvents(id, "ticket.updated"))
        .filteredOn(
            event ->
                List.of("awaiting_parts", "in_progress")
                    .contains(event.at("/ticket/status").asText()))
        .as("the helpdesk hears of the pause and of the resumption")
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'part.request' AND actor = 'tom'"
                    + " AND target = ?",
                "ticket/" + id))
        .isEqualTo(2);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'part.issue' AND actor = 'sam'"
                    + " AND target IN (?, ?)",
                "part-request/" + compressor.body().path("id").asLong(),
                "part-request/" + fan.body().path("id").asLong()))
        .as("the refused second issue is not recorded as done")
        .isEqualTo(2);

    // The issue log: part, model, quantity, time, case and who issued it.
    JsonNode log =
        viewer
            .get("/api/v1/parts/issues?from=2027-04-05T00:00:00Z&to=2027-04-06T00:00:00Z")
            .body()
            .path("issues");
    assertThat(log).hasSize(2);
    assertThat(log.get(0).path("partNumber").asText()).isEqualTo("CMP-220");
    assertThat(log.get(0).path("model").asText()).isEqualTo("C-2");
    assertThat(log.get(0).path("quantity").asInt()).isEqualTo(1);
    assertThat(log.get(0).path("ticketId").asLong()).isEqualTo(id);
    assertThat(log.get(0).path("customerRef").asText()).isEqualTo("C-4004");
    assertThat(log.get(0).path("issuedBy").asText()).isEqualTo("sam");
    assertThat(log.get(0).path("issuedAt").asText()).isEqualTo("2027-04-05T10:00:00Z");
    assertThat(log.get(1).path("partNumber").asText()).isEqualTo("FAN-9");
    assertThat(log.get(1).path("quantity").asInt()).isEqualTo(2);
    assertThat(
            viewer
                .get("/api/v1/parts/issues?from=2027-04-06T00:00:00Z&to=2027-04-07T00:00:00Z")
                .body()
                .path("issues"))
        .isEmpty();
  }

  @Test
  void theIssueLogIsAppendOnly() {
    long id = caseIn("acknowledged", "dispatched", "in_progress");
    long requestId =
        request(id, Map.of("partNumber", "SEAL-1", "quantity", 1)).body().path("id").asLong();
    assertThat(store.post("/api/v1/part-requests/" + requestId + "/issue", "").status())
        .isEqualTo(201);

    assertThatThrownBy(
            () ->
                platform.execute(
                    "UPDATE part_issues SET quantity = 5 WHERE part_request_id = ?", requestId))
        .hasMessageContaining("append-only");
    assertThatThrownBy(
            () -> platform.execute("DELETE FROM part_issues WHERE part_request_id = ?", requestId))
        .hasMessageContaining("append-only");
  }

  @Test
  void partsAreRequestedOnlyForWorkInProgressWithAPartNumberAndAQuantity() {
    long acknowledged = caseIn("acknowledged");
    ApiClient.Response early =
        request(acknowledged, Map.of("partNumber", "CMP-220", "quantity", 1));
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.body().path("detail").asText()).contains("acknowledged");

    long working = caseIn("acknowledged", "dispatched", "in_progress");
    assertThat(request(working, Map.of("quantity", 1)).body().path("detail").asText())
        .contains("'partNumber'");
    ApiClient.Response none = request(working, Map.of("partNumber", "CMP-220", "quantity", 0));
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.body().path("detail").asText()).contains("'quantity'");
    assertThat(
            viewer
                .post(
                    "/api/v1/tickets/" + working + "/part-requests",
                    Map.of("partNumber", "CMP-220", "quantity", 1))
                .status())
        .isEqualTo(403);
    assertThat(store.post("/api/v1/part-requests/999999/issue", "").status()).isEqualTo(404);
    assertThat(viewer.ticket(working).path("status").asText()).isEqualTo("in_progress");
  }
}
