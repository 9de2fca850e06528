package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.Category;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Customer-reported cases through {@code POST /api/v1/tickets} (docs/tickets.md): linked to the
 * device's open alarms and its recent diagnostic sessions, joined by a fault detected later,
 * refused with a problem naming the field.
 */
class ReportedCasesTest {

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient viewer;
  private static ApiClient technician;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    viewer = admin.as(admin.createStaff("vic", "viewer"));
    technician = admin.as(admin.createStaff("tess", "technician"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** An alarm the platform raised on the device and has not cleared; returns its id. */
  private static long openAlarm(String deviceId, String ruleId) {
    platform.execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket) VALUES (?, ?, 'major', 'active',"
            + " 'device_fault', now(), now(), 1, true)",
        deviceId,
        ruleId);
    return platform.count(
        "SELECT id FROM alarms WHERE device_id = ? AND rule_id = ? AND status <> 'cleared'",
        deviceId,
        ruleId);
  }

  @Test
  void aReportedCaseLinksTheOpenAlarmAndALaterFaultJoinsIt() {
    admin.provisionFridge("fridge-r1", "C-2002", "standard");
    long alarmId = openAlarm("fridge-r1", "temp-high");

    ApiClient.Response opened =
        technician.post(
            "/api/v1/tickets",
            Map.of(
                "channel", "phone",
                "symptom", "the fridge is warm and beeps",
                "deviceId", "fridge-r1",
                "serviceType", "repair"));

    assertThat(opened.status()).isEqualTo(201);
    JsonNode ticket = opened.body();
    long ticketId = ticket.path("id").asLong();
    assertThat(ticket.path("source").asText()).isEqualTo("reported");
    assertThat(ticket.path("intakeChannel").asText()).isEqualTo("phone");
    assertThat(ticket.path("serviceType").asText()).isEqualTo("repair");
    assertThat(ticket.path("symptom").asText()).isEqualTo("the fridge is warm and beeps");
    assertThat(ticket.path("customerRef").asText()).isEqualTo("C-2002");
    assertThat(ticket.path("status").asText()).isEqualTo("open");
    assertThat(ticket.at("/alarms/0/alarmId").asLong()).isEqualTo(alarmId);
    assertThat(ticket.at("/alarms/0/ruleId").asText()).isEqualTo("temp-high");
    assertThat(ticket.at("/evidence/device/model").asText()).isEqualTo("FR-200");
    assertThat(ticket.at("/evidence/device/warranty/status").asText()).isEqualTo("in_warranty");
    assertThat(ticket.at("/sla/response/state").asText()).isEqualTo("running");
    assertThat(platform.outboxEvents(ticketId, "ticket.opened"))
        .filteredOn(
            event ->
                event.at("/ticket/source").asText().equals("reported")
                    && event.at("/ticket/intakeChannel").asText().equals("phone"))
        .hasSize(1);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'ticket.open' AND actor = 'tess'"
                    + " AND outcome = 'allowed' AND detail ->> 'deviceId' = 'fridge-r1'"))
        .isEqualTo(1);

    // The platform then detects a fault on the device under another rule: it joins the case.
    long joined =
        platform.processedTicketRequest(
            SampleRequests.open(
                platform.database(),
                SampleRequests.fault("fridge-r1", 77, "door-open", Category.DEVICE_FAULT)));
    assertThat(joined).isEqualTo(ticketId);
    // The alarm already linked comes again: evidence on the same case.
    assertThat(
            platform.processedTicketRequest(
                SampleRequests.open(
                    platform.database(),
                    SampleRequests.fault(
                        "fridge-r1", alarmId, "temp-high", Category.DEVICE_FAULT))))
        .isEqualTo(ticketId);
    assertThat(platform.count("SELECT count(*) FROM tickets WHERE device_id = 'fridge-r1'"))
        .isEqualTo(1);
    assertThat(admin.get("/api/v1/tickets/" + ticketId).body().path("alarms"))
        .extracting(alarm -> alarm.path("ruleId").asText())
        .containsExactly("temp-high", "door-open");
  }

  @Test
  void aReportOfAFaultAlreadyBeingWorkedJoinsItsCase() {
    admin.provisionFridge("fridge-r3", "C-2003", "standard");
    long alarmId = openAlarm("fridge-r3", "temp-high");
    long detected =
        platform.processedTicketRequest(
            SampleRequests.open(
                platform.database(),
                SampleRequests.fault("fridge-r3", alarmId, "temp-high", Category.DEVICE_FAULT)));

    ApiClient.Response reported =
        technician.post(
            "/api/v1/tickets",
            Map.of(
                "channel", "phone",
                "symptom", "the fridge is warm",
                "deviceId", "fridge-r3",
                "customerRef", "C-2003-caller",
                "serviceType", "repair"));

    // 200, not 201: no second case for one fault; the customer's words are on the case.
    assertThat(reported.status()).as("%s", reported.body()).isEqualTo(200);
    assertThat(reported.body().path("id").asLong()).isEqualTo(detected);
    assertThat(reported.body().path("source").asText()).isEqualTo("detected");
    JsonNode last =
        reported.body().path("timeline").get(reported.body().path("timeline").size() - 1);
    assertThat(last.path("kind").asText()).isEqualTo("customer_report");
    assertThat(last.at("/detail/symptom").asText()).isEqualTo("the fridge is warm");
    // The reference the customer gave: sealed on the timeline, clear for staff and the helpdesk.
    assertThat(last.at("/detail/customerRef").asText()).isEqualTo("C-2003-caller");
    assertThat(
            platform.count(
                "SELECT count(*) FROM ticket_timeline WHERE ticket_id = ?"
                    + " AND kind = 'customer_report' AND detail->>'customerRef' LIKE 'sv1:%'",
                detected))
        .isEqualTo(1);
    assertThat(platform.count("SELECT count(*) FROM tickets WHERE device_id = 'fridge-r3'"))
        .isEqualTo(1);
    assertThat(platform.outboxEvents(detected, "ticket.customer_reported"))
        .filteredOn(
            event ->
                event.at("/report/channel").asText().equals("phone")
                    && event.at("/report/customerRef").asText().equals("C-2003-caller"))
        .hasSize(1);
  }

  @Test
  void aReportedCaseCarriesTheDevicesRecentDiagnosticSessions() {
    admin.provisionFridge("fridge-r2", "C-2002", "standard");
    diagnosticSession("d-recent", "fridge-r2", Duration.ofHours(2), "device_fault");
    diagnosticSession("d-old", "fridge-r2", Duration.ofDays(3), "connectivity");

    ApiClient.Response opened =
        technician.post(
            "/api/v1/tickets",
            Map.of(
                "channel", "app",
                "symptom", "the fridge is warm",
                "deviceId", "fridge-r2",
                "serviceType", "repair"));

    assertThat(opened.status()).isEqualTo(201);
    JsonNode sessions = opened.body().at("/evidence/diagnosticSessions");
    assertThat(sessions).hasSize(1);
    assertThat(sessions.at("/0/id").asText()).isEqualTo("d-recent");
    assertThat(sessions.at("/0/status").asText()).isEqualTo("completed");
    assertThat(sessions.at("/0/report/probableCategory").asText()).isEqualTo("device_fault");
    assertThat(platform.outboxEvents(opened.body().path("id").asLong(), "ticket.opened"))
        .filteredOn(
            event ->
                event.at("/ticket/evidence/diagnosticSessions/0/id").asText().equals("d-recent"))
        .hasSize(1);
  }

  /** A completed on-demand diagnostic session of the device, started {@code ago}. */
  private static void diagnosticSession(
      String id, String deviceId, Duration ago, String probableCategory) {
    platform.execute(
        "INSERT INTO diagnostic_sessions (id, device_id, requested_by, status, created_at,"
            + " completed_at, report) VALUES (?, ?, 'tess', 'completed', now() - ?::interval,"
            + " now() - ?::interval, jsonb_build_object('probableCategory', ?::text))",
        id,
        deviceId,
        ago.toSeconds() + " seconds",
        ago.toSeconds() + " seconds",
        probableCategory);
  }

  @Test
  void aCaseWithoutADeviceNeedsNoAlarm() {
    ApiClient.Response opened =
        technician.post(
            "/api/v1/tickets",
            Map.of(
                "channel", "web",
                "symptom", "how do I descale the coffee machine?",
                "customerRef", "C-3003",
                "serviceType", "consultation"));

    assertThat(opened.status()).isEqualTo(201);
    assertThat(opened.body().path("customerRef").asText()).isEqualTo("C-3003");
    assertThat(opened.body().path("alarms")).isEmpty();
  }

  @Test
  void invalidCasesAreRefusedNamingTheField() {
    assertRefused(
        Map.of("channel", "fax", "symptom", "warm", "serviceType", "repair"), 400, "channel");
    assertRefused(Map.of("channel", "phone", "serviceType", "repair"), 400, "symptom");
    assertRefused(
        Map.of("channel", "phone", "symptom", "x".repeat(2001), "serviceType", "repair"),
        400,
        "symptom");
    assertRefused(Map.of("channel", "phone", "symptom", "warm"), 400, "serviceType");
    assertRefused(
        Map.of(
            "channel", "phone", "symptom", "warm", "serviceType", "repair", "deviceId", "nope-1"),
        404,
        "deviceId");
  }

  @Test
  void aViewerCannotOpenACase() {
    ApiClient.Response refused =
        viewer.post(
            "/api/v1/tickets",
            Map.of("channel", "phone", "symptom", "warm", "serviceType", "repair"));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.contentType()).startsWith("application/problem+json");
  }

  private static void assertRefused(Map<String, Object> body, int status, String field) {
    ApiClient.Response refused = technician.post("/api/v1/tickets", body);
    assertThat(refused.status()).isEqualTo(status);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.body().path("detail").asText()).contains("'" + field + "'");
  }
}
