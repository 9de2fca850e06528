package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.testing.MutableClock;
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
 * Quotes, the customer's link, acceptance, follow-up and satisfaction through the REST API
 * (docs/tickets.md, "Quotes" and "Acceptance and follow-up"; docs/customer-api.md). The customer
 * calls with their link token only, never a staff token.
 */
class CustomerLoopTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private static final String CASE = "/api/v1/customer/case";

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient viewer;
  private static ApiClient technician;
  private static ApiClient supervisor;
  private static ApiClient nobody;

  @BeforeAll
  static void start() {
    platform =
        TestPlatform.start(
            Map.of("tickets.connector.webhookSecret", StandardWebhooks.SECRET), CLOCK);
    admin = platform.api();
    nobody = admin.as(null);
    viewer = admin.as(admin.createStaff("vic", "viewer"));
    technician = admin.as(admin.createStaff("tess", "technician"));
    supervisor = admin.as(admin.createStaff("sam", "supervisor"));
    admin.createStaff("ann", "technician");
    admin.qualify("ann", "fridge");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** A reported case for a new device sold on {@code soldOn}; returns the ticket id. */
  private static long reportedCase(String deviceId, String soldOn) {
    ApiClient.Response device =
        admin.post(
            "/api/v1/devices",
            Map.of(
                "id", deviceId,
                "type", "fridge",
                "model", "FR-200",
                "firmware", "2.1.0",
                "customerRef", "C-77",
                "customerTier", "standard",
                "soldOn", soldOn));
    assertThat(device.status()).isEqualTo(201);
    ApiClient.Response opened =
        technician.post(
            "/api/v1/tickets",
            Map.of(
                "channel", "app",
                "symptom", "the fridge does not cool",
                "deviceId", deviceId,
                "serviceType", "repair"));
    assertThat(opened.status()).isEqualTo(201);
    return opened.body().path("id").asLong();
  }

  private static ApiClient.Response move(long ticketId, String to) {
    Map<String, Object> body =
        "dispatched".equals(to)
            ? Map.of("to", to, "assignee", "ann", "channel", "on_site")
            : Map.of("to", to);
    ApiClient by = "closed".equals(to) ? supervisor : technician;
    return by.post("/api/v1/tickets/" + ticketId + "/transitions", body);
  }

  private static void moveTo(long ticketId, String... states) {
    for (String state : states) {
      assertThat(move(ticketId, state).status()).as("to " + state).isEqualTo(200);
    }
  }

  /** The customer's side of the API as the consumer app calls it: with the link token only. */
  private static ApiClient customer(long ticketId, String validFor) {
    ApiClient.Response issued =
        technician.post(
            "/api/v1/tickets/" + ticketId + "/customer-links",
            validFor == null ? Map.of() : Map.of("validFor", validFor));
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.body().path("path").asText()).isEqualTo(CASE);
    return admin.as(issued.body().path("token").asText());
  }

  private static Map<String, Object> quote(double unitPrice) {
    return Map.of(
        "lines",
        List.of(Map.of("partNumber", "FR-PUMP-2", "quantity", 2, "unitPrice", unitPrice)),
        "labour",
        45,
        "estimatedMinutes",
        90,
        "currency",
        "EUR");
  }

  private static JsonNode ticket(long ticketId) {
    return admin.get("/api/v1/tickets/" + ticketId).body();
  }

  @Test
  void workOnAnOutOfWarrantyCaseStartsOnlyOnceTheCustomerAcceptedAQuoteThroughTheirLink() {
    long ticketId = reportedCase("fridge-q1", "2020-01-15");
    assertThat(ticket(ticketId).at("/evidence/device/warranty/status").asText())
        .isEqualTo("out_of_warranty");
    moveTo(ticketId, "acknowledged", "dispatched");

    ApiClient.Response refused = move(ticketId, "in_progress");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.body().path("detail").asText()).contains("out of warranty", "quote");

    String quotes = "/api/v1/tickets/" + ticketId + "/quotes";
    assertThat(viewer.post(quotes, quote(19.95)).status()).isEqualTo(403);
    ApiClient.Response badQuote = technician.post(quotes, Map.of("labour", 10, "currency", "EUR"));
    assertThat(badQuote.status()).isEqualTo(400);
    assertThat(badQuote.body().path("detail").asText()).contains("estimatedMinutes");
    ApiClient.Response first = technician.post(quotes, quote(19.95));
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.body().path("total").decimalValue()).isEqualByComparingTo("84.90");
    assertThat(first.body().path("status").asText()).isEqualTo("pending");
    ApiClient.Response second = technician.post(quotes, quote(17.50));
    assertThat(second.body().path("total").decimalValue()).isEqualByComparingTo("80.00");
    long firstId = first.body().path("id").asLong();
    long secondId = second.body().path("id").asLong();
    assertThat(ticket(ticketId).path("quotes"))
        .extracting(q -> q.path("status").asText())
        .as("a new quote supersedes the pending one")
        .containsExactly("superseded", "pending");

    ApiClient customer = customer(ticketId, "7d");
    JsonNode view = customer.get(CASE).body();
    assertThat(view.path("status").asText()).isEqualTo("dispatched");
    assertThat(view.path("canDecideQuote").asBoolean()).isTrue();
    assertThat(view.path("whatIsHappening").asText()).contains("cost estimate");
    assertThat(view.at("/quote/id").asLong()).isEqualTo(secondId);
    assertThat(view.at("/quote/lines/0/partNumber").asText()).isEqualTo("FR-PUMP-2");
    assertThat(view.has("timeline") || view.has("owner") || view.has("assignee"))
        .as("no internal notes or staff names")
        .isFalse();
    assertThat(view.at("/quote/createdBy").isMissingNode()).isTrue();

    ApiClient.Response stale =
        customer.post(CASE + "/quote-decision", Map.of("quoteId", firstId, "decision", "accept"));
    assertThat(stale.status()).as("a superseded quote cannot be accepted").isEqualTo(409);
    ApiClient.Response accepted =
        customer.post(
            CASE + "/quote-decision",
            Map.of("quoteId", secondId, "decision", "accept", "comment", "go ahead"));
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(accepted.body().at("/quote/status").asText()).isEqualTo("accepted");
    assertThat(
            customer
                .post(CASE + "/quote-decision", Map.of("quoteId", secondId, "decision", "reject"))
                .status())
        .as("decided once")
        .isEqualTo(409);

    moveTo(ticketId, "in_progress");
    JsonNode started = ticket(ticketId);
    assertThat(started.at("/quotes/1/decidedBy").asText()).isEqualTo("customer");
    assertThat(started.path("timeline"))
        .extracting(entry -> entry.path("kind").asText())
        .contains("quote_sent", "quote_accepted", "customer_link_issued");
    assertThat(
            platform.count(
                "SELECT count(*) FROM ticket_outbox WHERE ticket_id = ? AND type IN"
                    + " ('ticket.quote_sent', 'ticket.quote_accepted')",
                ticketId))
        .isEqualTo(3);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'ticket.quote' AND actor = 'tess'"
                    + " AND outcome = 'allowed' AND target = ?",
                "ticket/" + ticketId))
        .isEqualTo(2);
  }

  @Test
  void theHelpdeskCanPassOnTheCustomersDecisionThroughTheSignedInboundCall() {
    long ticketId = reportedCase("fridge-q2", "2020-01-15");
    ApiClient.Response sent = technician.post("/api/v1/tickets/" + ticketId + "/quotes", quote(10));
    long quoteId = sent.body().path("id").asLong();
    String body =
        "{\"ticketId\": "
            + ticketId
            + ", \"agent\": \"agent-3\", \"quoteDecision\": {\"quoteId\": "
            + quoteId
            + ", \"decision\": \"reject\", \"comment\": \"too expensive\"}}";
    String id = "msg_" + UUID.randomUUID();
    long now = CLOCK.instant().getEpochSecond();
    Map<String, String> headers =
        Map.of(
            "webhook-id", id,
            "webhook-timestamp", Long.toString(now),
            "webhook-signature", StandardWebhooks.sign(StandardWebhooks.SECRET, id, now, body));

    assertThat(nobody.post("/api/v1/bridge/inbound", body).status()).isEqualTo(401);
    assertThat(nobody.post("/api/v1/bridge/inbound", body, headers).status()).isEqualTo(200);
    assertThat(nobody.post("/api/v1/bridge/inbound", body, headers).status())
        .as("a replay")
        .isEqualTo(409);
    JsonNode decided = ticket(ticketId).at("/quotes/0");
    assertThat(decided.path("status").asText()).isEqualTo("rejected");
    assertThat(decided.path("decidedBy").asText()).isEqualTo("helpdesk:agent-3");
    assertThat(decided.path("decisionComment").asText()).isEqualTo("too expensive");
    assertThat(platform.outboxEvents(ticketId, "ticket.quote_rejected"))
        .filteredOn(event -> event.at("/quote/id").asText().equals(Long.toString(quoteId)))
        .hasSize(1);
  }

  @Test
  void expiredTamperedRevokedAndMissingTokensAreRefusedAlike() {
    long ticketId = reportedCase("fridge-t1", "2026-01-15");
    ApiClient shortLived = customer(ticketId, "1h");
    ApiClient lasting = customer(ticketId, null);
    assertThat(shortLived.get(CASE).status()).isEqualTo(200);

    ApiClient.Response issued =
        technician.post("/api/v1/tickets/" + ticketId + "/customer-links", Map.of());
    String token = issued.body().path("token").asText();
    String linkId = issued.body().path("linkId").asText();
    String[] parts = token.split("\\.");
    String otherCase = String.join(".", parts[0], "1", parts[2], parts[3], parts[4]);
    String longer =
        String.join(
            ".",
            parts[0],
            parts[1],
            Long.toString(Long.parseLong(parts[2]) + 86_400),
            parts[3],
            parts[4]);
    char last = parts[4].charAt(0);
    String badSignature =
        String.join(
            ".",
            parts[0],
            parts[1],
            parts[2],
            parts[3],
            (last == 'A' ? 'B' : 'A') + parts[4].substring(1));

    assertThat(
            technician.delete("/api/v1/tickets/" + ticketId + "/customer-links/" + linkId).status())
        .isEqualTo(204);
    CLOCK.advance(Duration.ofHours(2));

    List<ApiClient.Response> refusals =
        List.of(
            nobody.get(CASE),
            admin.get(CASE),
            shortLived.get(CASE),
            admin.as(token).get(CASE),
            admin.as(otherCase).get(CASE),
            admin.as(longer).get(CASE),
            admin.as(badSignature).get(CASE),
            admin.as("v1.garbage").get(CASE),
            admin.as(token).post(CASE + "/acceptance", Map.of("accepted", true)));
    for (ApiClient.Response refusal : refusals) {
      assertThat(refusal.status()).isEqualTo(401);
      assertThat(refusal.contentType()).startsWith("application/problem+json");
    }
    assertThat(refusals.subList(1, refusals.size()))
        .extracting(r -> r.body().path("detail").asText())
        .as("the answer does not say whether a token expired, was revoked or was forged")
        .containsOnly("this link is not valid");
    assertThat(lasting.get(CASE).status())
        .as("revoking or expiring one link leaves the others")
        .isEqualTo(200);

    assertThat(
            technician
                .post("/api/v1/tickets/" + ticketId + "/customer-links", Map.of("validFor", "365d"))
                .status())
        .isEqualTo(400);
    assertThat(viewer.post("/api/v1/tickets/" + ticketId + "/customer-links", Map.of()).status())
        .isEqualTo(403);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'ticket.customer-link.revoke'"
                    + " AND target = ?",
                "ticket/" + ticketId))
        .isEqualTo(1);
  }

  @Test
  void theCustomerAcceptsTheRepairOnlyOnceItIsResolvedAndClosingWaitsForIt() {
    long ticketId = reportedCase("fridge-a1", "2026-01-15");
    ApiClient customer = customer(ticketId, null);
    moveTo(ticketId, "acknowledged", "dispatched", "in_progress");

    ApiClient.Response early = customer.post(CASE + "/acceptance", Map.of("accepted", true));
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.body().path("detail").asText()).contains("resolved");
    assertThat(customer.get(CASE).body().path("canConfirmRepair").asBoolean()).isFalse();

    moveTo(ticketId, "resolved");
    JsonNode resolved = ticket(ticketId);
    assertThat(resolved.at("/followUp/status").asText()).isEqualTo("open");
    Instant createdAt = Instant.parse(resolved.at("/followUp/createdAt").asText());
    assertThat(Instant.parse(resolved.at("/followUp/dueAt").asText()))
        .as("due 3 days after the resolution (tickets.customerCare.followUpDue)")
        .isEqualTo(createdAt.plus(Duration.ofDays(3)));
    assertThat(resolved.path("timeline"))
        .extracting(entry -> entry.path("kind").asText())
        .contains("follow_up_created");

    ApiClient.Response notYet = move(ticketId, "closed");
    assertThat(notYet.status()).isEqualTo(409);
    assertThat(notYet.body().path("detail").asText()).contains("acceptance");

    assertThat(customer.get(CASE).body().path("canConfirmRepair").asBoolean()).isTrue();
    ApiClient.Response refusedRepair =
        customer.post(
            CASE + "/acceptance", Map.of("accepted", false, "comment", "still warm at night"));
    assertThat(refusedRepair.status()).isEqualTo(200);
    assertThat(refusedRepair.body().path("repairAccepted").asBoolean()).isFalse();
    assertThat(move(ticketId, "closed").status())
        .as("the customer said the repair did not work")
        .isEqualTo(409);

    ApiClient.Response acceptedRepair =
        customer.post(CASE + "/acceptance", Map.of("accepted", true, "comment", "cold now"));
    assertThat(acceptedRepair.body().path("repairAccepted").asBoolean()).isTrue();
    JsonNode acceptance = ticket(ticketId).path("acceptance");
    assertThat(acceptance.path("source").asText()).isEqualTo("customer");
    assertThat(acceptance.path("comment").asText()).isEqualTo("cold now");
    moveTo(ticketId, "closed");
    assertThat(customer.get(CASE).body().path("status").asText()).isEqualTo("closed");
  }

  @Test
  void theCustomerSeesTheConfirmedAppointmentButNotTheTechniciansName() {
    long ticketId = reportedCase("fridge-v1", "2026-01-15");
    moveTo(ticketId, "acknowledged", "dispatched");
    ApiClient customer = customer(ticketId, null);
    assertThat(customer.get(CASE).body().has("appointment")).isFalse();

    Instant now = CLOCK.instant();
    // A visit already made (booked afterwards, as staff do) and the next one, in two days.
    book(ticketId, now.minus(Duration.ofDays(1)), "ADDR-7");
    long next = book(ticketId, now.plus(Duration.ofDays(2)), "ADDR-7");

    ApiClient.Response view = customer.get(CASE);
    assertThat(view.status()).isEqualTo(200);
    JsonNode appointment = view.body().path("appointment");
    assertThat(appointment.path("startsAt").asText())
        .isEqualTo(now.plus(Duration.ofDays(2)).toString());
    assertThat(appointment.path("endsAt").asText())
        .isEqualTo(now.plus(Duration.ofDays(2)).plus(Duration.ofHours(2)).toString());
    assertThat(appointment.path("addressRef").asText()).isEqualTo("ADDR-7");
    assertThat(appointment.path("upcoming").asBoolean()).isTrue();
    assertThat(appointment.has("technician")).isFalse();
    assertThat(view.body().toString()).doesNotContain("\"ann\"");

    // Cancelled, the next visit is gone; the one made is shown as the latest.
    assertThat(
            technician
                .post(
                    "/api/v1/appointments/" + next + "/cancel",
                    Map.of("reason", "the customer is away"))
                .status())
        .isEqualTo(200);
    JsonNode latest = customer.get(CASE).body().path("appointment");
    assertThat(latest.path("startsAt").asText())
        .isEqualTo(now.minus(Duration.ofDays(1)).toString());
    assertThat(latest.path("upcoming").asBoolean()).isFalse();
  }

  /** A confirmed two-hour visit by ann; returns its id. */
  private static long book(long ticketId, Instant startsAt, String addressRef) {
    ApiClient.Response booked =
        technician.post(
            "/api/v1/tickets/" + ticketId + "/appointments",
            Map.of(
                "technician",
                "ann",
                "startsAt",
                startsAt.toString(),
                "endsAt",
                startsAt.plus(Duration.ofHours(2)).toString(),
                "addressRef",
                addressRef));
    assertThat(booked.status()).as("%s", booked.body()).isEqualTo(201);
    return booked.body().path("id").asLong();
  }

  @Test
  void theCustomersRatingAndTheStaffScoreAreKeptApart() {
    long ticketId = reportedCase("fridge-s1", "2026-01-15");
    ApiClient customer = customer(ticketId, null);
    Map<String, Object> rating =
        Map.of("score", 5, "comment", "quick and friendly", "category", "technician");
    assertThat(customer.post(CASE + "/satisfaction", rating).status())
        .as("rated after the repair, not before")
        .isEqualTo(409);
    moveTo(ticketId, "acknowledged", "dispatched", "in_progress", "resolved");
    assertThat(
            technician
                .post(
                    "/api/v1/tickets/" + ticketId + "/acceptance",
                    Map.of("accepted", true, "comment", "confirmed on the phone"))
                .status())
        .isEqualTo(201);
    ApiClient.Response closed =
        supervisor.post(
            "/api/v1/tickets/" + ticketId + "/transitions",
            Map.of("to", "closed", "satisfaction", 3));
    assertThat(closed.status()).isEqualTo(200);

    ApiClient.Response badCategory =
        customer.post(CASE + "/satisfaction", Map.of("score", 5, "category", "vibes"));
    assertThat(badCategory.status()).isEqualTo(400);
    assertThat(badCategory.body().path("detail").asText()).contains("category");
    assertThat(
            customer
                .post(CASE + "/satisfaction", Map.of("score", 9, "category", "overall"))
                .status())
        .isEqualTo(400);
    ApiClient.Response rated = customer.post(CASE + "/satisfaction", rating);
    assertThat(rated.status()).isEqualTo(200);
    assertThat(rated.body().path("canRate").asBoolean()).isFalse();
    assertThat(customer.post(CASE + "/satisfaction", rating).status())
        .as("rated once")
        .isEqualTo(409);

    JsonNode ticket = ticket(ticketId);
    assertThat(ticket.path("satisfaction").asInt()).as("the staff score, as before").isEqualTo(3);
    assertThat(ticket.at("/satisfactionBySource/staff/score").asInt()).isEqualTo(3);
    assertThat(ticket.at("/satisfactionBySource/staff/source").asText()).isEqualTo("staff");
    assertThat(ticket.at("/satisfactionBySource/customer/score").asInt()).isEqualTo(5);
    assertThat(ticket.at("/satisfactionBySource/customer/source").asText()).isEqualTo("customer");
    assertThat(ticket.at("/satisfactionBySource/customer/category").asText())
        .isEqualTo("technician");
    assertThat(ticket.path("acceptance").path("source").asText()).isEqualTo("staff");
    assertThat(platform.outboxEvents(ticketId, "ticket.rated"))
        .filteredOn(event -> event.at("/rating/score").asText().equals("5"))
        .as("the helpdesk hears the customer's rating")
        .hasSize(1);
  }

  @Test
  void aCaseClosesWithoutAcceptanceOnlyAfterEnoughUnreachableFollowUpAttempts() {
    long ticketId = reportedCase("fridge-f1", "2026-01-15");
    String attempts = "/api/v1/tickets/" + ticketId + "/follow-up/attempts";
    Map<String, Object> unreachable = Map.of("outcome", "unreachable", "note", "no answer");
    assertThat(technician.post(attempts, unreachable).status())
        .as("no follow-up before the resolution")
        .isEqualTo(409);
    moveTo(ticketId, "acknowledged", "dispatched", "in_progress", "resolved");
    assertThat(technician.post(attempts, Map.of("outcome", "maybe")).status()).isEqualTo(400);
    assertThat(viewer.post(attempts, unreachable).status()).isEqualTo(403);

    for (int attempt = 1; attempt <= 2; attempt++) {
      assertThat(technician.post(attempts, unreachable).status()).isEqualTo(201);
      assertThat(move(ticketId, "closed").status())
          .as("closing after " + attempt + " unreachable attempt(s)")
          .isEqualTo(409);
    }
    ApiClient.Response third = technician.post(attempts, unreachable);
    assertThat(third.status()).isEqualTo(201);
    assertThat(third.body().path("attempts")).hasSize(3);
    moveTo(ticketId, "closed");
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'ticket.follow-up' AND target = ?"
                    + " AND outcome = 'allowed'",
                "ticket/" + ticketId))
        .isEqualTo(3);
  }
}
