package io.aftercare.platform.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Promise 8 for the service desk, over HTTP and the real database: the customer references of cases
 * and complaints are sealed at rest, shown in clear, found by the ticket list's customer filter,
 * and rows written in clear before (archived cases included) are sealed at start-up.
 */
class SealedCaseFieldsTest {

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

  @Test
  void aCaseAndItsComplaintKeepTheReferenceSealedYetShowAndFindItInClear() {
    long ticket = reportedCase("CUST-sc-1");
    reportedCase("CUST-sc-other");

    String stored = stored("tickets", ticket);
    assertThat(stored).startsWith("sv1:").doesNotContain("CUST-sc-1");
    assertThat(admin.get("/api/v1/tickets/" + ticket).body().path("customerRef").asText())
        .isEqualTo("CUST-sc-1");
    assertThat(ticketIds("customer=CUST-sc-1")).containsExactly(Long.toString(ticket));
    assertThat(ticketIds("customer=CUST-sc")).isEmpty();

    // A complaint about the case without its own reference copies the case's: sealed as well.
    ApiClient.Response complaint =
        admin.post(
            "/api/v1/complaints", Map.of("channel", "phone", "text", "slow", "ticketId", ticket));
    assertThat(complaint.status()).isEqualTo(201);
    long complaintId = complaint.body().get("id").asLong();
    assertThat(stored("complaints", complaintId)).startsWith("sv1:").doesNotContain("CUST-sc-1");
    assertThat(complaint.body().path("customerRef").asText()).isEqualTo("CUST-sc-1");
    assertThat(admin.get("/api/v1/complaints/" + complaintId).body().path("customerRef").asText())
        .isEqualTo("CUST-sc-1");
  }

  @Test
  void clearReferencesOfArchivedCasesComplaintsAndReportsAreSealedAtStartAndOnlyThatChangePasses() {
    long archived = reportedCase("CUST-sc-placeholder");
    long forged = reportedCase("CUST-sc-placeholder-2");
    long complaint =
        admin
            .post(
                "/api/v1/complaints",
                Map.of("channel", "web", "text", "noisy", "customerRef", "CUST-sc-placeholder"))
            .body()
            .get("id")
            .asLong();
    // As written before V96 (or by a tool writing the tables directly), then archived.
    for (long id : List.of(archived, forged)) {
      platform.execute(
          "UPDATE tickets SET customer_ref = ?, customer_ref_index = NULL, status = 'archived',"
              + " archived_at = now(), archived_from = 'closed' WHERE id = ?",
          "CUST-sc-legacy-" + id,
          id);
    }
    platform.execute(
        "UPDATE complaints SET customer_ref = 'CUST-sc-legacy-complaint' WHERE id = ?", complaint);
    long reported = reportedCase("CUST-sc-reported");
    platform.execute(
        "INSERT INTO ticket_timeline (ticket_id, at, actor, kind, note, detail)"
            + " VALUES (?, now(), 'staff', 'customer_report', 'reported again',"
            + " '{\"channel\": \"phone\", \"customerRef\": \"CUST-sc-legacy-report\"}')",
        reported);
    // The timeline's exception, too, lets through only the conversion.
    assertThatThrownBy(
            () ->
                platform.execute(
                    "UPDATE ticket_timeline SET note = 'rewritten', detail = jsonb_set(detail,"
                        + " '{customerRef}', '\"sv1:forged\"') WHERE kind = 'customer_report'"
                        + " AND ticket_id = ?",
                    reported))
        .hasStackTraceContaining("append-only");

    // The archived case's exception lets through the conversion only, never another change.
    assertThatThrownBy(
            () ->
                platform.execute(
                    "UPDATE tickets SET customer_ref = 'sv1:forged', customer_ref_index = 'x',"
                        + " reason = 'rewritten' WHERE id = ?",
                    forged))
        .hasStackTraceContaining("is archived and can no longer change");
    assertThatThrownBy(
            () ->
                platform.execute(
                    "UPDATE tickets SET customer_ref = 'CUST-sc-other-clear' WHERE id = ?", forged))
        .hasStackTraceContaining("is archived and can no longer change");

    platform.restart();
    admin = platform.api();

    for (long id : List.of(archived, forged)) {
      assertThat(stored("tickets", id)).startsWith("sv1:").doesNotContain("CUST-sc-legacy");
      assertThat(admin.get("/api/v1/tickets/" + id).body().path("customerRef").asText())
          .isEqualTo("CUST-sc-legacy-" + id);
      assertThat(ticketIds("customer=CUST-sc-legacy-" + id)).containsExactly(Long.toString(id));
    }
    assertThat(stored("complaints", complaint)).startsWith("sv1:").doesNotContain("legacy");
    assertThat(admin.get("/api/v1/complaints/" + complaint).body().path("customerRef").asText())
        .isEqualTo("CUST-sc-legacy-complaint");

    assertThat(
            platform.count(
                "SELECT count(*) FROM ticket_timeline WHERE ticket_id = ?"
                    + " AND kind = 'customer_report' AND detail->>'customerRef' LIKE 'sv1:%'"
                    + " AND detail->>'channel' = 'phone'",
                reported))
        .isEqualTo(1);
    assertThat(admin.get("/api/v1/tickets/" + reported).body().path("timeline"))
        .filteredOn(line -> line.path("kind").asText().equals("customer_report"))
        .extracting(line -> line.at("/detail/customerRef").asText())
        .containsExactly("CUST-sc-legacy-report");

    // Sealed once, the archived case is frozen again: even the conversion's shape is refused.
    String sealed = stored("tickets", archived);
    assertThatThrownBy(
            () ->
                platform.execute(
                    "UPDATE tickets SET customer_ref = ?, customer_ref_index = 'y' WHERE id = ?",
                    sealed + "x",
                    archived))
        .hasStackTraceContaining("is archived and can no longer change");
  }

  private static long reportedCase(String customerRef) {
    Map<String, Object> body = new HashMap<>();
    body.put("channel", "phone");
    body.put("symptom", "the fridge is warm");
    body.put("customerRef", customerRef);
    body.put("serviceType", "repair");
    return admin.openCase(body);
  }

  private static List<String> ticketIds(String query) {
    ApiClient.Response listed = admin.get("/api/v1/tickets?" + query);
    assertThat(listed.status()).isEqualTo(200);
    return listed.body().get("tickets").findValuesAsText("id");
  }

  /** The customer_ref column of {@code table}'s row as the database holds it. */
  private static String stored(String table, long id) {
    try (Connection c = platform.database().connect();
        PreparedStatement select =
            c.prepareStatement("SELECT customer_ref FROM " + table + " WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
