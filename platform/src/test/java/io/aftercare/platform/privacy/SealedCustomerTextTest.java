package io.aftercare.platform.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.CaseFieldSealing;
import io.aftercare.bridge.SealedField;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Promise 8 for what customers and staff wrote about a customer, incidents' customers and the
 * filters of bulk command batches, over HTTP and the real database (docs/privacy.md): sealed in
 * every table that holds them, read in clear through the API, and clear values written before
 * (archived cases and append-only records included) sealed at the next start.
 */
class SealedCustomerTextTest {

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
  void whatStaffAndCustomersWroteIsSealedAtRestYetReadInClear() {
    long complaint = complaint("CT-text");
    String path = "/api/v1/complaints/" + complaint;
    assertThat(admin.post(path + "/response", Map.of("text", "CT-response")).status())
        .isEqualTo(200);
    assertThat(admin.post(path + "/notes", Map.of("text", "CT-note")).status()).isEqualTo(200);
    assertThat(admin.post(path + "/resolution", Map.of("resolution", "CT-resolution")).status())
        .isEqualTo(200);
    assertThat(
            admin
                .post(path + "/confirmation", Map.of("confirmed", false, "comment", "CT-comment"))
                .status())
        .isEqualTo(200);
    long ticket = reportedCase("CT-symptom");
    long incident = incident(List.of("CUST-ct-b", "CUST-ct-a"));
    admin.provisionFridge("ct-fridge", "CUST-ct-bulk", "standard");
    ApiClient.Response batch =
        admin.post(
            "/api/v1/bulk-commands",
            Map.of(
                "filter",
                Map.of("customer", "CUST-ct-bulk"),
                "command",
                "identify",
                "expectedCount",
                1));
    assertThat(batch.status()).as("%s", batch.body()).isEqualTo(202);

    assertThat(clearValues()).as("sealed fields holding clear text").isEmpty();
    assertThat(storedAnywhere("CT-")).isZero();
    assertThat(storedAnywhere("CUST-ct")).isZero();
    assertThat(tablesHolding("CT-")).as("tables holding the text in clear").isEmpty();
    assertThat(tablesHolding("CUST-ct")).as("tables holding a reference in clear").isEmpty();

    String shown = admin.get(path).body().toString();
    for (String text :
        List.of("CT-text", "CT-response", "CT-note", "CT-resolution", "CT-comment")) {
      assertThat(shown).contains(text);
    }
    assertThat(admin.get("/api/v1/tickets/" + ticket).body().path("symptom").asText())
        .isEqualTo("CT-symptom");
    assertThat(admin.get("/api/v1/incidents/" + incident).body().path("customerRefs"))
        .extracting(JsonNode::asText)
        .containsExactly("CUST-ct-a", "CUST-ct-b");
    String batchId = batch.body().path("id").asText();
    assertThat(admin.get("/api/v1/bulk-commands/" + batchId).body().at("/filter/customer").asText())
        .isEqualTo("CUST-ct-bulk");
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'data.read.sensitive'"
                    + " AND target = ?",
                "bulk-command/" + batchId))
        .as("a batch shows its personal filters: reading it is logged")
        .isEqualTo(1);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'bulk_command.submit'"
                    + " AND detail->'filter'->>'customer' = '(personal data, not logged)'"))
        .as("the audit entry names the personal filter, never its value")
        .isEqualTo(1);
  }

  @Test
  void clearTextWrittenBeforeIsSealedAtStartArchivedCasesAndAppendOnlyRecordsIncluded() {
    long complaint = complaint("CT-placeholder");
    long archived = reportedCase("CT-placeholder");
    long incident = incident(List.of("CUST-ct-placeholder"));
    // As written before V99 (or by a tool writing the tables directly).
    platform.execute("UPDATE complaints SET text = 'CT-legacy-text' WHERE id = ?", complaint);
    platform.execute(
        "INSERT INTO complaint_entries (complaint_id, at, actor, kind, note)"
            + " VALUES (?, now(), 'staff', 'note', 'CT-legacy-note')",
        complaint);
    platform.execute(
        "UPDATE tickets SET symptom = 'CT-legacy-symptom', status = 'archived',"
            + " archived_at = now(), archived_from = 'closed' WHERE id = ?",
        archived);
    platform.execute(
        "INSERT INTO incident_scope (incident_id, kind, ref) VALUES (?, 'customer', 'CUST-ct-0')",
        incident);
    assertThat(clearValues()).isNotEmpty();

    platform.restart();
    admin = platform.api();

    assertThat(clearValues()).as("sealed fields holding clear text").isEmpty();
    assertThat(storedAnywhere("legacy")).isZero();
    String shown = admin.get("/api/v1/complaints/" + complaint).body().toString();
    assertThat(shown).contains("CT-legacy-text").contains("CT-legacy-note");
    assertThat(admin.get("/api/v1/tickets/" + archived).body().path("symptom").asText())
        .isEqualTo("CT-legacy-symptom");
    assertThat(admin.get("/api/v1/incidents/" + incident).body().path("customerRefs"))
        .extracting(JsonNode::asText)
        .containsExactly("CUST-ct-0", "CUST-ct-placeholder");
  }

  private static long complaint(String text) {
    ApiClient.Response filed =
        admin.post(
            "/api/v1/complaints",
            Map.of("channel", "web", "text", text, "customerRef", "CUST-ct-complaint"));
    assertThat(filed.status()).isEqualTo(201);
    return filed.body().path("id").asLong();
  }

  private static long reportedCase(String symptom) {
    Map<String, Object> body = new HashMap<>();
    body.put("channel", "phone");
    body.put("symptom", symptom);
    body.put("customerRef", "CUST-ct-case");
    body.put("serviceType", "repair");
    return admin.openCase(body);
  }

  private static long incident(List<String> customerRefs) {
    ApiClient.Response declared =
        admin.post(
            "/api/v1/incidents",
            Map.of(
                "level",
                "general",
                "title",
                "district outage",
                "description",
                "locks offline",
                "customerRefs",
                customerRefs));
    assertThat(declared.status()).isEqualTo(201);
    return declared.body().path("id").asLong();
  }

  private static Stream<SealedField> sealedFields() {
    return Stream.concat(
        PlatformSealedFields.fields().stream(), CaseFieldSealing.fields().stream());
  }

  /** The sealed fields that hold a value in clear. */
  private static List<String> clearValues() {
    return sealedFields()
        .filter(
            field ->
                platform.count(
                        "SELECT count(*) FROM %1$s WHERE %2$s AND %3$s IS NOT NULL AND %3$s NOT LIKE 'sv1:%%'"
                            .formatted(field.table(), field.rows(), field.stored()))
                    > 0)
        .map(SealedField::name)
        .toList();
  }

  /** The tables with a row whose text form contains {@code text}: every table, not only ours. */
  private static List<String> tablesHolding(String text) {
    List<String> holding = new ArrayList<>();
    try (Connection c = platform.database().connect();
        PreparedStatement tables =
            c.prepareStatement(
                "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
        ResultSet rs = tables.executeQuery()) {
      while (rs.next()) {
        String table = rs.getString(1);
        if (platform.count(
                "SELECT count(*) FROM \"%s\" t WHERE t::text LIKE ?".formatted(table),
                "%" + text + "%")
            > 0) {
          holding.add(table);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return holding;
  }

  /** Rows of any sealed field whose stored text contains {@code text}. */
  private static long storedAnywhere(String text) {
    return sealedFields()
        .mapToLong(
            field ->
                platform.count(
                    "SELECT count(*) FROM %s WHERE %s AND %s LIKE ?"
                        .formatted(field.table(), field.rows(), field.stored()),
                    "%" + text + "%"))
        .sum();
  }
}
