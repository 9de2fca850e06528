package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.bridge.testing.StandardWebhooks;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * From a ticket request to the helpdesk and back, end to end through the platform's API: one ticket
 * per fault with its evidence, signed delivery that survives failures, transitions and roles, and
 * signed inbound status changes. (The clear policy is tested on the bridge alone: ClearPolicyTest.)
 */
class TicketDeliveryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeHelpdesk helpdesk;
  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient viewer;
  private static ApiClient technician;
  private static ApiClient supervisor;

  @BeforeAll
  static void start() {
    helpdesk = FakeHelpdesk.start();
    Map<String, String> overrides = TestPlatform.deliveringTo(helpdesk, "/hooks/aftercare");
    overrides.put("tickets.retry.base", "100ms");
    overrides.put("tickets.retry.max", "500ms");
    overrides.put("tickets.retry.requestTimeout", "1s");
    platform = TestPlatform.start(overrides);
    admin = platform.api();
    viewer = admin.as(admin.createStaff("vera", "viewer"));
    technician = admin.as(admin.createStaff("tom", "technician"));
    supervisor = admin.as(admin.createStaff("sue", "supervisor"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
    if (helpdesk != null) {
      helpdesk.close();
    }
  }

  private static List<JsonNode> deliveredEvents(long ticketId) {
    return helpdesk.accepted().stream()
        .map(received -> read(received.body()))
        .filter(event -> event.path("ticket").path("id").asLong() == ticketId)
        .toList();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFaultOpensOneTicketWithEvidenceDeliveredOnceDespiteAnErrorAndATimeOut() {
    admin.provisionFridge("fridge-1", "C-1001", "premium");
    helpdesk.script(500, FakeHelpdesk.NO_ANSWER);

    long ticketId =
        platform.processedTicketRequest(
            SampleRequests.open(platform.database(), "fridge-1", "temp-high"));

    await().atMost(Duration.ofSeconds(30)).until(() -> !deliveredEvents(ticketId).isEmpty());
    List<FakeHelpdesk.Received> attempts =
        helpdesk.received().stream()
            .filter(r -> read(r.body()).path("ticket").path("id").asLong() == ticketId)
            .toList();
    assertThat(attempts).extracting(FakeHelpdesk.Received::status).containsExactly(500, -1, 200);
    assertThat(attempts)
        .extracting(r -> r.header("webhook-id"))
        .as("every attempt carries the same webhook-id, the receiver's idempotency key")
        .containsOnly(attempts.get(0).header("webhook-id"));
    FakeHelpdesk.Received accepted = attempts.get(2);
    assertThat(
            StandardWebhooks.verify(
                StandardWebhooks.SECRET,
                accepted.header("webhook-id"),
                accepted.header("webhook-timestamp"),
                accepted.header("webhook-signature"),
                accepted.body(),
                Instant.now().getEpochSecond()))
        .isTrue();
    JsonNode event = read(accepted.body());
    assertThat(event.path("type").asText()).isEqualTo("ticket.opened");
    assertThat(event.path("id").asText()).isEqualTo(accepted.header("webhook-id"));
    assertThat(deliveredEvents(ticketId)).hasSize(1);

    JsonNode ticket = admin.get("/api/v1/tickets/" + ticketId).body();
    assertThat(ticket.path("status").asText()).isEqualTo("open");
    // major, raised one level for a premium customer
    assertThat(ticket.path("priority").asText()).isEqualTo("P1");
    assertThat(ticket.path("customerRef").asText()).isEqualTo("C-1001");
    // The alarm that opened it is the first of its fault episode (docs/tickets.md).
    assertThat(ticket.at("/alarms/0/ruleId").asText()).isEqualTo("temp-high");
    assertThat(ticket.at("/alarms/0/alarmId").asLong()).isEqualTo(41);
    assertThat(ticket.path("reopenCount").asInt(-1)).isZero();
    JsonNode evidence = ticket.path("evidence");
    assertThat(evidence.at("/telemetryWindow/metrics/temperature_c/max").asDouble())
        .isEqualTo(11.8);
    assertThat(evidence.at("/remoteActions/0/status").asText()).isEqualTo("failed");
    assertThat(evidence.at("/diagnosis").asText()).isEqualTo("device_fault");
    assertThat(evidence.at("/device/model").asText()).isEqualTo("FR-200");
    assertThat(evidence.at("/device/firmware").asText()).isEqualTo("2.1.0");
    assertThat(evidence.at("/device/warranty/status").asText()).isEqualTo("in_warranty");
    assertThat(evidence.at("/device/warranty/until").asText()).isEqualTo("2028-01-15");
    assertThat(evidence.at("/alarm/raisedAt").asText()).isEqualTo("2026-11-23T09:50:00Z");
    assertThat(event.at("/ticket/evidence"))
        .as("the helpdesk receives the evidence document the API shows")
        .isEqualTo(evidence);
    assertThat(ticket.at("/sla/response/state").asText()).isEqualTo("running");
    assertThat(ticket.at("/sla/repair/state").asText()).isEqualTo("not_started");

    // The fault is reported again while the ticket is open: evidence, not a second ticket.
    long again =
        platform.processedTicketRequest(
            SampleRequests.open(platform.database(), "fridge-1", "temp-high"));
    assertThat(again).isEqualTo(ticketId);
    assertThat(platform.count("SELECT count(*) FROM tickets WHERE device_id = 'fridge-1'"))
        .isEqualTo(1);
    JsonNode timeline = admin.get("/api/v1/tickets/" + ticketId).body().path("timeline");
    assertThat(timeline)
        .extracting(entry -> entry.path("kind").asText())
        .containsExactly("transition", "evidence");
    assertThat(admin.get("/api/v1/tickets?deviceId=fridge-1&status=open").body().path("tickets"))
        .hasSize(1);
  }

  @Test
  void transitionsFollowTheLifeCycleAndTheRoles() {
    admin.provisionFridge("fridge-3", "C-1001", "premium");
    long ticketId =
        platform.processedTicketRequest(
            SampleRequests.open(platform.database(), "fridge-3", "temp-high"));
    String path = "/api/v1/tickets/" + ticketId + "/transitions";

    assertThat(viewer.post(path, Map.of("to", "acknowledged")).status()).isEqualTo(403);
    // Viewers read tickets and KPIs (the KPI figures are tested on the bridge: KpiFixtureTest).
    assertThat(viewer.get("/api/v1/tickets/" + ticketId).status()).isEqualTo(200);
    assertThat(viewer.get("/api/v1/kpis").status()).isEqualTo(200);
    ApiClient.Response acknowledged =
        technician.post(path, Map.of("to", "acknowledged", "note", "called the customer"));
    assertThat(acknowledged.status()).isEqualTo(200);
    assertThat(acknowledged.body().path("owner").asText()).isEqualTo("tom");
    assertThat(acknowledged.body().at("/sla/response/state").asText()).isEqualTo("stopped");

    assertThat(technician.post(path, Map.of("to", "cancelled", "note", "no")).status())
        .isEqualTo(403);
    ApiClient.Response noAssignee = technician.post(path, Map.of("to", "dispatched"));
    assertThat(noAssignee.status()).isEqualTo(400);
    assertThat(noAssignee.contentType()).startsWith("application/problem+json");
    // Dispatch needs a qualified technician (DispatchTest covers the refusals).
    supervisor.qualify("tom", "fridge");
    assertThat(
            technician
                .post(path, Map.of("to", "dispatched", "assignee", "tom", "channel", "remote"))
                .status())
        .isEqualTo(200);
    assertThat(supervisor.post(path, Map.of("to", "closed", "satisfaction", 5)).status())
        .isEqualTo(409);
    assertThat(technician.post(path, Map.of("to", "in_progress")).status()).isEqualTo(200);
    assertThat(technician.post(path, Map.of("to", "awaiting_parts")).status()).isEqualTo(200);
    assertThat(technician.post(path, Map.of("to", "in_progress")).status()).isEqualTo(200);
    assertThat(technician.post(path, Map.of("to", "resolved")).status()).isEqualTo(200);
    // Closing needs the customer's sign-off: here heard by staff on the follow-up call.
    assertThat(
            technician
                .post("/api/v1/tickets/" + ticketId + "/acceptance", Map.of("accepted", true))
                .status())
        .isEqualTo(201);
    ApiClient.Response closed =
        supervisor.post(path, Map.of("to", "closed", "satisfaction", 5, "note", "confirmed"));
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.body().path("owner").asText())
        .as("the first-contact owner stays the owner")
        .isEqualTo("tom");
    assertThat(closed.body().path("satisfaction").asInt()).isEqualTo(5);
    assertThat(closed.body().at("/sla/repair/state").asText()).isEqualTo("stopped");

    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'ticket.transition'"
                    + " AND target = ? AND outcome = 'allowed'",
                "ticket/" + ticketId))
        .isEqualTo(7);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'ticket.transition'"
                    + " AND target = ? AND outcome = 'denied'",
                "ticket/" + ticketId))
        .isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(deliveredEvents(ticketId))
                    .extracting(event -> event.path("type").asText())
                    .containsExactly(
                        "ticket.opened",
                        "ticket.updated",
                        "ticket.updated",
                        "ticket.updated",
                        "ticket.updated",
                        "ticket.updated",
                        "ticket.resolved",
                        "ticket.acceptance_recorded",
                        "ticket.closed"));
  }

  @Test
  void inboundStatusChangesMustBeSignedFreshAndUnused() {
    admin.provisionFridge("fridge-4", "C-1001", "premium");
    long ticketId =
        platform.processedTicketRequest(
            SampleRequests.open(platform.database(), "fridge-4", "temp-high"));
    ApiClient helpdeskCaller = admin.as(null);
    String body =
        "{\"ticketId\": " + ticketId + ", \"to\": \"acknowledged\", \"agent\": \"agent-7\"}";
    String id = "msg_" + UUID.randomUUID();
    long now = Instant.now().getEpochSecond();
    String otherSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    ApiClient.Response unsigned = helpdeskCaller.post("/api/v1/bridge/inbound", body);
    assertThat(unsigned.status()).isEqualTo(401);
    assertThat(unsigned.contentType()).startsWith("application/problem+json");
    assertThat(
            helpdeskCaller
                .post("/api/v1/bridge/inbound", body, headers(id, now, otherSecret, body))
                .status())
        .as("forged: signed with another key")
        .isEqualTo(401);
    assertThat(
            helpdeskCaller
                .post(
                    "/api/v1/bridge/inbound",
                    body,
                    headers(id, now - 600, StandardWebhooks.SECRET, body))
                .status())
        .as("stale timestamp")
        .isEqualTo(401);
    String tampered = body.replace("acknowledged", "cancelled");
    assertThat(
            helpdeskCaller
                .post(
                    "/api/v1/bridge/inbound",
                    tampered,
                    headers(id, now, StandardWebhooks.SECRET, body))
                .status())
        .as("body changed after signing")
        .isEqualTo(401);
    assertThat(admin.get("/api/v1/tickets/" + ticketId).body().path("status").asText())
        .isEqualTo("open");

    ApiClient.Response valid =
        helpdeskCaller.post(
            "/api/v1/bridge/inbound", body, headers(id, now, StandardWebhooks.SECRET, body));
    assertThat(valid.status()).isEqualTo(200);
    JsonNode ticket = admin.get("/api/v1/tickets/" + ticketId).body();
    assertThat(ticket.path("status").asText()).isEqualTo("acknowledged");
    assertThat(ticket.path("owner").asText()).isEqualTo("helpdesk:agent-7");

    ApiClient.Response replayed =
        helpdeskCaller.post(
            "/api/v1/bridge/inbound", body, headers(id, now, StandardWebhooks.SECRET, body));
    assertThat(replayed.status()).isEqualTo(409);
    assertThat(replayed.contentType()).startsWith("application/problem+json");
  }

  @Test
  void helpdeskTransitionsIncludingCancelAreAudited() {
    admin.provisionFridge("fridge-6", "C-1003", "standard");
    long ticketId =
        platform.processedTicketRequest(
            SampleRequests.open(platform.database(), "fridge-6", "temp-high"));
    ApiClient helpdeskCaller = admin.as(null);
    long now = Instant.now().getEpochSecond();
    String acknowledge =
        "{\"ticketId\": " + ticketId + ", \"to\": \"acknowledged\", \"agent\": \"agent-9\"}";
    String cancel =
        "{\"ticketId\": "
            + ticketId
            + ", \"to\": \"cancelled\", \"agent\": \"agent-9\", \"note\": \"duplicate\"}";
    String cancelId = "msg_" + UUID.randomUUID();

    assertThat(
            helpdeskCaller
                .post(
                    "/api/v1/bridge/inbound",
                    acknowledge,
                    headers("msg_" + UUID.randomUUID(), now, StandardWebhooks.SECRET, acknowledge))
                .status())
        .isEqualTo(200);
    assertThat(
            helpdeskCaller
                .post(
                    "/api/v1/bridge/inbound",
                    cancel,
                    headers(cancelId, now, StandardWebhooks.SECRET, cancel))
                .status())
        .isEqualTo(200);

    JsonNode entries =
        admin
            .get("/api/v1/audit?actor=helpdesk:agent-9&target=ticket/" + ticketId)
            .body()
            .get("entries");
    assertThat(entries).hasSize(2);
    JsonNode cancelled = entries.get(0);
    assertThat(cancelled.get("action").asText()).isEqualTo("ticket.transition");
    assertThat(cancelled.get("outcome").asText()).isEqualTo("allowed");
    assertThat(cancelled.at("/detail/from").asText()).isEqualTo("acknowledged");
    assertThat(cancelled.at("/detail/to").asText()).isEqualTo("cancelled");
    assertThat(cancelled.at("/detail/note").asText()).isEqualTo("duplicate");
    assertThat(cancelled.at("/detail/webhookId").asText()).isEqualTo(cancelId);
    assertThat(entries.get(1).at("/detail/to").asText()).isEqualTo("acknowledged");
  }

  private static Map<String, String> headers(
      String id, long timestamp, String secret, String body) {
    return Map.of(
        "webhook-id", id,
        "webhook-timestamp", Long.toString(timestamp),
        "webhook-signature", StandardWebhooks.sign(secret, id, timestamp, body));
  }
}
