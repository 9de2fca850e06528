package io.aftercare.platform.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.bridge.CaseFieldSealing;
import io.aftercare.bridge.SealedField;
import io.aftercare.bridge.SealedText;
import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Promise 8's key rotation over HTTP and the real database (docs/privacy.md): with a new data key
 * and the old one kept as {@code data.key.previous}, everything sealed before still reads and is
 * found, a background re-seal moves every sealed value to the new key, and once the old key is
 * dropped everything still reads. The helpdesk events in the outbox are sealed at rest, yet the
 * helpdesk receives the clear customer reference.
 */
class DataKeyRotationTest {

  private static final String ROT_LOG = "wifi associated ssid=\"ROT-NET\" ip 10.1.2.3";

  private FakeHelpdesk helpdesk;
  private TestPlatform platform;
  private ApiClient admin;
  private long logBundle;

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
    if (helpdesk != null) {
      helpdesk.close();
    }
  }

  @Test
  void aRotatedKeyReadsOldValuesWhileTheBackgroundResealMovesEveryValueToTheNewKey()
      throws IOException {
    Path dataDir = Files.createTempDirectory("aftercare-rotation-test");
    helpdesk = FakeHelpdesk.start();
    Map<String, String> settings =
        new HashMap<>(TestPlatform.deliveringTo(helpdesk, "/hooks/aftercare"));
    settings.put("dataDir", dataDir.toString());
    // Two bulk batches below, one per personal filter, dispatching at once.
    settings.put("commands.bulk.maxRunningPerMember", "2");
    platform = TestPlatform.start(settings);
    admin = platform.api();

    admin.provisionFridge("rot-fridge", "CUST-rot-device", "standard");
    ApiClient.Response plug =
        admin.post(
            "/api/v1/devices",
            Map.of("id", "rot-plug", "type", "smart_plug", "homeId", "HOME-rot"));
    assertThat(plug.status()).isEqualTo(201);
    logBundle = collectLogs(plug.body().get("token").asText());
    long open = openCase("CUST-rot-open");
    long archived = openCase("CUST-rot-archived");
    long complaint =
        admin
            .post(
                "/api/v1/complaints",
                Map.of("channel", "web", "text", "noisy", "customerRef", "CUST-rot-complaint"))
            .body()
            .get("id")
            .asLong();
    String complaintPath = "/api/v1/complaints/" + complaint;
    for (Map.Entry<String, Map<String, Object>> step :
        List.of(
            Map.entry("/response", Map.<String, Object>of("text", "CT-rot-response")),
            Map.entry("/notes", Map.<String, Object>of("text", "CT-rot-note")),
            Map.entry("/resolution", Map.<String, Object>of("resolution", "CT-rot-resolution")),
            Map.entry(
                "/confirmation",
                Map.<String, Object>of("confirmed", false, "comment", "CT-rot-comment")))) {
      assertThat(admin.post(complaintPath + step.getKey(), step.getValue()).status())
          .isEqualTo(200);
    }
    assertThat(
            admin
                .post(
                    "/api/v1/incidents",
                    Map.of(
                        "level", "general",
                        "title", "outage",
                        "description", "locks offline",
                        "customerRefs", List.of("CUST-rot-incident")))
                .status())
        .isEqualTo(201);
    assertThat(
            admin
                .post(
                    "/api/v1/bulk-commands",
                    Map.of(
                        "filter",
                        Map.of("customer", "CUST-rot-device"),
                        "command",
                        "identify",
                        "expectedCount",
                        1))
                .status())
        .isEqualTo(202);
    assertThat(
            admin
                .post(
                    "/api/v1/bulk-commands",
                    Map.of(
                        "filter",
                        Map.of("home", "HOME-rot"),
                        "command",
                        "identify",
                        "expectedCount",
                        1))
                .status())
        .isEqualTo(202);
    caseRecordsInClear(archived);
    platform.execute(
        "UPDATE tickets SET status = 'archived', archived_at = now(), archived_from = 'closed'"
            + " WHERE id = ?",
        archived);
    platform.restart(); // seals the records written in clear above under the first key
    admin = platform.api();

    // The outbox keeps the event sealed; the helpdesk gets the clear reference all the same.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                helpdesk.accepted().stream()
                    .anyMatch(
                        r ->
                            r.ticketId() == open
                                && r.json()
                                    .at("/ticket/customerRef")
                                    .asText()
                                    .equals("CUST-rot-open")));
    assertThat(platform.count("SELECT count(*) FROM ticket_outbox WHERE ticket_id = ?", open))
        .isPositive();
    assertThat(
            platform.count(
                "SELECT count(*) FROM ticket_outbox WHERE payload::text LIKE '%CUST-rot%'"
                    + " OR payload #>> '{}' NOT LIKE 'sv1:%'"))
        .isZero();

    String oldKey = keyId(dataDir.resolve("data.key"));
    long sealedBefore = sealedUnder(oldKey);
    assertThat(sealedBefore).isEqualTo(sealedUnder(""));
    assertThat(fieldsHoldingValues())
        .as("every sealed field takes part")
        .containsExactlyInAnyOrderElementsOf(sealedFields().map(SealedField::name).toList());

    // The rotation: the old key becomes the previous one, a new data key is generated.
    Files.move(dataDir.resolve("data.key"), dataDir.resolve("data.key.previous"));
    platform.restart();
    admin = platform.api();
    String newKey = keyId(dataDir.resolve("data.key"));
    assertThat(newKey).isNotEqualTo(oldKey);

    everythingReadsInClear(open, archived, complaint);
    await().atMost(Duration.ofSeconds(60)).until(() -> sealedUnder(oldKey) == 0);
    assertThat(sealedUnder(newKey)).isEqualTo(sealedUnder("")).isGreaterThanOrEqualTo(sealedBefore);
    everythingReadsInClear(open, archived, complaint);

    // The old key is dropped after the re-seal: everything still reads and is found.
    Files.delete(dataDir.resolve("data.key.previous"));
    platform.restart();
    admin = platform.api();
    everythingReadsInClear(open, archived, complaint);
    assertThat(sealedUnder(oldKey)).isZero();
  }

  private void everythingReadsInClear(long open, long archived, long complaint) {
    assertThat(admin.get("/api/v1/devices/rot-fridge").body().path("customerRef").asText())
        .isEqualTo("CUST-rot-device");
    assertThat(admin.get("/api/v1/devices/rot-plug").body().path("homeId").asText())
        .isEqualTo("HOME-rot");
    assertThat(ids(admin.get("/api/v1/devices?customer=CUST-rot-device"), "devices"))
        .containsExactly("rot-fridge");
    assertThat(ids(admin.get("/api/v1/devices?home=HOME-rot"), "devices"))
        .containsExactly("rot-plug");
    assertThat(admin.get("/api/v1/tickets/" + open).body().path("customerRef").asText())
        .isEqualTo("CUST-rot-open");
    assertThat(admin.get("/api/v1/tickets/" + archived).body().path("customerRef").asText())
        .isEqualTo("CUST-rot-archived");
    assertThat(ids(admin.get("/api/v1/tickets?customer=CUST-rot-archived"), "tickets"))
        .containsExactly(Long.toString(archived));
    assertThat(admin.get("/api/v1/complaints/" + complaint).body().path("customerRef").asText())
        .isEqualTo("CUST-rot-complaint");
    assertThat(admin.get("/api/v1/complaints/" + complaint).body().toString())
        .contains("CT-rot-response", "CT-rot-note", "CT-rot-resolution", "CT-rot-comment");
    assertThat(admin.get("/api/v1/tickets/" + archived).body().toString())
        .contains("ADDR-rot", "CT-rot-report", "CUST-rot-report", "CT-rot-symptom");
    assertThat(admin.get("/api/v1/incidents").body().toString()).contains("CUST-rot-incident");
    assertThat(
            admin
                .post(
                    "/api/v1/log-bundles/" + logBundle + "/original",
                    Map.of("reason", "key rotation check"))
                .body()
                .path("log")
                .asText())
        .isEqualTo(ROT_LOG);
  }

  /** A log bundle from the plug over real MQTT: its original is sealed (log_bundles, V107). */
  private long collectLogs(String token) {
    ApiClient.Response submitted =
        admin.post(
            "/api/v1/devices/rot-plug/commands",
            Map.of("name", "collect_logs", "params", Map.of("minutes", 5)));
    assertThat(submitted.status()).isEqualTo(202);
    String commandId = submitted.body().get("commandId").asText();
    try {
      MqttClient device = PahoDevices.v3(platform.mqttUri(), "rot-plug", token);
      try {
        device.publish(
            "devices/rot-plug/commands/result",
            new ObjectMapper()
                .writeValueAsBytes(
                    Map.of(
                        "commandId",
                        commandId,
                        "status",
                        "succeeded",
                        "output",
                        Map.of("log", ROT_LOG))),
            1,
            false);
      } finally {
        device.disconnect();
        device.close();
      }
    } catch (MqttException | IOException e) {
      throw new IllegalStateException("the plug could not answer collect_logs", e);
    }
    return admin.get("/api/v1/commands/" + commandId).body().at("/output/logBundleId").asLong();
  }

  /**
   * An archived case's records of the kinds that only the API for other cases writes (an
   * appointment, a follow-up attempt, a customer report line), written in clear as before V99, so
   * that the rotation goes through the triggers guarding them.
   */
  private void caseRecordsInClear(long ticket) {
    platform.execute(
        "INSERT INTO technicians (name, skills, active, updated_at, updated_by)"
            + " VALUES ('rot-tech', '{fridge}', true, now(), 'test')");
    platform.execute(
        "INSERT INTO ticket_appointments (ticket_id, technician, starts_at, ends_at, address_ref,"
            + " status, created_at, created_by) VALUES (?, 'rot-tech', now(),"
            + " now() + interval '1 hour', 'ADDR-rot', 'confirmed', now(), 'test')",
        ticket);
    platform.execute(
        "INSERT INTO ticket_follow_ups (ticket_id, created_at, due_at, status)"
            + " VALUES (?, now(), now(), 'done')",
        ticket);
    platform.execute(
        "INSERT INTO ticket_follow_up_attempts (follow_up_id, outcome, note, actor, at)"
            + " SELECT id, 'reached', 'CT-rot-follow-up', 'test', now() FROM ticket_follow_ups"
            + " WHERE ticket_id = ?",
        ticket);
    platform.execute(
        "INSERT INTO ticket_timeline (ticket_id, at, actor, kind, note, detail)"
            + " VALUES (?, now(), 'staff', 'customer_report', 'CT-rot-report',"
            + " '{\"customerRef\": \"CUST-rot-report\", \"symptom\": \"CT-rot-symptom\"}')",
        ticket);
  }

  private static Stream<SealedField> sealedFields() {
    return Stream.concat(
        PlatformSealedFields.fields().stream(), CaseFieldSealing.fields().stream());
  }

  /** Sealed values under {@code keyId} in every sealed field; {@code ""}: under any key. */
  private long sealedUnder(String keyId) {
    String pattern = keyId.isEmpty() ? "sv1:%" : "sv1:" + keyId + ":%";
    return sealedFields()
        .mapToLong(
            field ->
                platform.count(
                    "SELECT count(*) FROM %s WHERE %s AND %s LIKE ?"
                        .formatted(field.table(), field.rows(), field.stored()),
                    pattern))
        .sum();
  }

  /** The sealed fields that hold at least one value. */
  private List<String> fieldsHoldingValues() {
    return sealedFields()
        .filter(
            field ->
                platform.count(
                        "SELECT count(*) FROM %s WHERE %s AND %s IS NOT NULL"
                            .formatted(field.table(), field.rows(), field.stored()))
                    > 0)
        .map(SealedField::name)
        .toList();
  }

  private long openCase(String customerRef) {
    Map<String, Object> body = new HashMap<>();
    body.put("channel", "phone");
    body.put("symptom", "the fridge is warm");
    body.put("customerRef", customerRef);
    body.put("serviceType", "repair");
    return admin.openCase(body);
  }

  private static List<String> ids(ApiClient.Response response, String list) {
    assertThat(response.status()).isEqualTo(200);
    return response.body().get(list).findValuesAsText("id");
  }

  private static String keyId(Path keyFile) throws IOException {
    return new SealedText(
            Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.UTF_8).trim()))
        .keyId();
  }
}
