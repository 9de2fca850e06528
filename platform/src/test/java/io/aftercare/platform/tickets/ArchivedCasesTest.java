package io.aftercare.platform.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Archived cases through the staff API on the real database (docs/retention.md): archived 90 days
 * after they ended, still readable and listed, refused any change, and exported as CSV and JSON
 * lines by supervisors, audited.
 */
class ArchivedCasesTest {

  /** Quotes, a comma and a line break: what CSV must carry through intact. */
  private static final String SYMPTOM = "door \"clicks\", then\nbeeps";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static MutableClock clock;
  private static TestPlatform platform;
  private static ApiClient technician;
  private static ApiClient supervisor;
  private static Instant start;
  private static long cancelled;
  private static long closed;
  private static long open;

  @BeforeAll
  static void start() {
    start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    clock = new MutableClock(start);
    platform =
        TestPlatform.start(
            Map.of("tickets.archiveAfter", "90d", "tickets.retention.interval", "200ms"), clock);
    ApiClient admin = platform.api();
    technician = admin.as(admin.createStaff("tess", "technician"));
    supervisor = admin.as(admin.createStaff("sue", "supervisor"));
    admin.qualify("tess", "boiler");

    cancelled = openCase(SYMPTOM);
    supervisor.moveTicket(cancelled, Map.of("to", "cancelled", "note", "customer withdrew"));
    closed = openCase("no hot water");
    technician.moveTicket(closed, Map.of("to", "acknowledged"));
    technician.moveTicket(
        closed, Map.of("to", "dispatched", "assignee", "tess", "channel", "remote"));
    technician.moveTicket(closed, Map.of("to", "in_progress"));
    technician.moveTicket(closed, Map.of("to", "resolved"));
    assertThat(
            technician
                .post("/api/v1/tickets/" + closed + "/acceptance", Map.of("accepted", true))
                .status())
        .isEqualTo(201);
    supervisor.moveTicket(closed, Map.of("to", "closed", "satisfaction", 4));
    open = openCase("still waiting");

    clock.advance(Duration.ofDays(91));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM tickets WHERE status = 'archived' AND id IN (?, ?)",
                        cancelled,
                        closed)
                    == 2);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static long openCase(String symptom) {
    return technician.openCase(
        Map.of(
            "channel", "phone", "symptom", symptom, "customerRef", "C-9", "serviceType", "repair"));
  }

  @Test
  void archivedCasesStayReadableWithTheirOutcome() {
    JsonNode ticket = technician.get("/api/v1/tickets/" + closed).body();
    assertThat(ticket.path("status").asText()).isEqualTo("archived");
    assertThat(ticket.path("archivedFrom").asText()).isEqualTo("closed");
    assertThat(ticket.path("archivedAt").asText()).isNotEmpty();
    assertThat(ticket.path("satisfaction").asInt()).isEqualTo(4);
    assertThat(ticket.at("/sla/repair/state").asText()).isEqualTo("stopped");

    JsonNode listed = technician.get("/api/v1/tickets?status=archived").body().path("tickets");
    assertThat(listed).extracting(t -> t.path("id").asLong()).contains(cancelled, closed);
    assertThat(technician.get("/api/v1/tickets/" + open).body().path("status").asText())
        .isEqualTo("open");
  }

  @Test
  void everyChangeToAnArchivedCaseIsRefused() {
    ApiClient.Response refused =
        supervisor.post("/api/v1/tickets/" + closed + "/transitions", Map.of("to", "in_progress"));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.body().path("detail").asText()).contains("archived");

    // Belt and braces: the database refuses it too, whoever writes.
    assertThatThrownBy(
            () -> platform.execute("UPDATE tickets SET satisfaction = 1 WHERE id = ?", closed))
        .hasMessageContaining("archived");
    assertThatThrownBy(
            () ->
                platform.execute(
                    "INSERT INTO ticket_timeline (ticket_id, at, actor, kind, note)"
                        + " VALUES (?, now(), 'x', 'evidence', 'late')",
                    closed))
        .hasMessageContaining("archived");
    assertThat(technician.get("/api/v1/tickets/" + closed).body().path("satisfaction").asInt())
        .isEqualTo(4);
  }

  @Test
  void supervisorsExportEndedCasesAsCsvThatParsesBack() {
    ApiClient.TextResponse export =
        supervisor.getText("/api/v1/tickets/export?" + range() + "&format=csv");

    assertThat(export.status()).isEqualTo(200);
    assertThat(export.contentType()).startsWith("text/csv");
    List<List<String>> rows = CsvRows.parse(export.body());
    List<String> header = rows.get(0);
    List<Map<String, String>> cases = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      assertThat(row).hasSameSizeAs(header);
      Map<String, String> byName = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        byName.put(header.get(i), row.get(i));
      }
      cases.add(byName);
    }
    assertThat(cases)
        .extracting(c -> c.get("id"))
        .containsExactly(String.valueOf(cancelled), String.valueOf(closed));
    assertThat(cases.get(0))
        .containsEntry("status", "archived")
        .containsEntry("outcome", "cancelled")
        .containsEntry("symptom", SYMPTOM)
        .containsEntry("customerRef", "C-9");
    assertThat(cases.get(1)).containsEntry("outcome", "closed").containsEntry("satisfaction", "4");
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'ticket.export' AND actor = 'sue'"
                    + " AND outcome = 'allowed' AND detail ->> 'format' = 'csv'"))
        .isEqualTo(1);
  }

  @Test
  void theExportAlsoComesAsJsonLinesOfOneStatus() throws Exception {
    ApiClient.TextResponse export =
        supervisor.getText("/api/v1/tickets/export?" + range() + "&format=jsonl&status=archived");

    assertThat(export.status()).isEqualTo(200);
    assertThat(export.contentType()).startsWith("application/x-ndjson");
    List<JsonNode> lines = new ArrayList<>();
    for (String line : export.body().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).extracting(l -> l.path("id").asLong()).containsExactly(cancelled, closed);
    assertThat(lines.get(1).path("timeline")).isNotEmpty();
    assertThat(lines.get(1).path("archivedFrom").asText()).isEqualTo("closed");
  }

  @Test
  void onlySupervisorsExportAndTheRangeIsRequired() {
    assertThat(technician.getText("/api/v1/tickets/export?" + range()).status()).isEqualTo(403);
    ApiClient.Response noRange = supervisor.get("/api/v1/tickets/export?format=csv");
    assertThat(noRange.status()).isEqualTo(400);
    assertThat(noRange.body().path("detail").asText()).contains("'from'");
    ApiClient.Response badStatus =
        supervisor.get("/api/v1/tickets/export?" + range() + "&status=open");
    assertThat(badStatus.status()).isEqualTo(400);
    assertThat(badStatus.body().path("detail").asText()).contains("'status'");
  }

  private static String range() {
    return "from=" + start.minusSeconds(60) + "&to=" + start.plusSeconds(60);
  }
}
