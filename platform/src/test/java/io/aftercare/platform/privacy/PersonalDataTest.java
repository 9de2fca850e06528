package io.aftercare.platform.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.Platform;
import io.aftercare.platform.config.ConfigLoader;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Promise 8 over HTTP and the real database: customer references sealed at rest under a key kept
 * outside the database and still searchable, sensitive reads audited, sensitive events kept for a
 * shorter time (docs/privacy.md).
 */
class PersonalDataTest {

  private static Path dataDir;
  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient viewer;
  private static String viewerToken;

  @BeforeAll
  static void start() throws IOException {
    dataDir = Files.createTempDirectory("aftercare-privacy-test");
    Map<String, String> settings = new HashMap<>();
    settings.put("dataDir", dataDir.toString());
    settings.put("database.sensitiveEventsRetainFor", "1d");
    platform = TestPlatform.start(settings);
    admin = platform.api();
    viewerToken = admin.createStaff("pd-viewer", "viewer");
    viewer = admin.as(viewerToken);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theCustomerReferenceIsSealedAtRestYetShownAndSearchableInClear() {
    admin.provisionFridge("pd-fridge", "CUST-pd-1", "standard");

    String stored = storedCustomerRef("pd-fridge");
    assertThat(stored).startsWith("sv1:").doesNotContain("CUST-pd-1");
    assertThat(viewer.get("/api/v1/devices/pd-fridge").body().get("customerRef").asText())
        .isEqualTo("CUST-pd-1");
    assertThat(deviceIds(viewer.get("/api/v1/devices?customer=CUST-pd-1")))
        .containsExactly("pd-fridge");

    ApiClient supervisor = admin.as(admin.createStaff("pd-supervisor", "supervisor"));
    assertThat(
            supervisor
                .patch("/api/v1/devices/pd-fridge", Map.of("customerRef", "CUST-pd-2"))
                .status())
        .isEqualTo(200);
    assertThat(storedCustomerRef("pd-fridge")).doesNotContain("CUST-pd-2").isNotEqualTo(stored);
    assertThat(deviceIds(viewer.get("/api/v1/devices?customer=CUST-pd-2")))
        .containsExactly("pd-fridge");
    assertThat(deviceIds(viewer.get("/api/v1/devices?customer=CUST-pd-1"))).isEmpty();
    assertThat(
            platform.count("SELECT count(*) FROM audit_log WHERE detail::text LIKE '%CUST-pd-2%'"))
        .as("the edit's audit entry does not carry the reference")
        .isZero();
  }

  @Test
  void theHomeIdIsSealedAtRestYetShownAndSearchableInClear() {
    assertThat(
            admin
                .post(
                    "/api/v1/devices",
                    Map.of("id", "pd-home-plug", "type", "smart_plug", "homeId", "HOME-pd-1"))
                .status())
        .isEqualTo(201);

    String stored = storedColumn("pd-home-plug", "home_id");
    assertThat(stored).startsWith("sv1:").doesNotContain("HOME-pd-1");
    assertThat(viewer.get("/api/v1/devices/pd-home-plug").body().get("homeId").asText())
        .isEqualTo("HOME-pd-1");
    assertThat(deviceIds(viewer.get("/api/v1/devices?home=HOME-pd-1")))
        .containsExactly("pd-home-plug");
  }

  @Test
  void aCaseOpenedForTheDeviceCarriesItsReferenceInClear() {
    admin.provisionFridge("pd-case-fridge", "CUST-pd-case", "premium");

    ApiClient.Response opened =
        admin.post(
            "/api/v1/tickets",
            Map.of(
                "channel", "phone",
                "symptom", "warm",
                "deviceId", "pd-case-fridge",
                "serviceType", "repair"));

    assertThat(opened.status()).isEqualTo(201);
    assertThat(opened.body().path("customerRef").asText()).isEqualTo("CUST-pd-case");
  }

  @Test
  void aReadOfSensitiveDataWritesOneAuditEntryNamingWhoReadWhat() {
    admin.provisionFridge("pd-read", "CUST-pd-read", "standard");
    admin.provisionDevice("pd-lock", "door_lock");
    admin.provisionDevice("pd-thermo", "thermostat");

    assertThat(viewer.get("/api/v1/devices/pd-read").status()).isEqualTo(200);
    JsonNode detail = onlyEntry("device/pd-read");
    assertThat(detail.get("class").asText()).isEqualTo("sensitive");
    assertThat(names(detail.get("data"))).containsExactly("customer_ref", "home_id");

    assertThat(viewer.get("/api/v1/devices/pd-lock/events").status()).isEqualTo(200);
    assertThat(names(onlyEntry("device/pd-lock").get("data")))
        .containsExactly("lock_camera_events");

    assertThat(viewer.get("/api/v1/devices/pd-thermo/events").status()).isEqualTo(200);
    assertThat(viewer.get("/api/v1/devices/pd-thermo/telemetry?metric=temperature_c").status())
        .isEqualTo(200);
    assertThat(entries("device/pd-thermo")).as("general data: no entry").isZero();
    assertThat(viewer.get("/api/v1/devices/pd-thermo/telemetry?metric=occupancy").status())
        .isEqualTo(200);
    assertThat(names(onlyEntry("device/pd-thermo").get("data")))
        .containsExactly("presence_metrics");

    long before = entries("devices");
    JsonNode page = viewer.get("/api/v1/devices?limit=500").body();
    assertThat(page.get("devices").size()).isGreaterThan(2);
    assertThat(entries("devices")).as("one entry for the whole list").isEqualTo(before + 1);
  }

  @Test
  void sensitiveEventsOlderThanTheirRetentionAreDeletedOthersKept() {
    admin.provisionDevice("pd-old-lock", "door_lock");
    admin.provisionDevice("pd-old-plug", "smart_plug");
    Instant old = Instant.now().minus(Duration.ofDays(3));
    for (String device : List.of("pd-old-lock", "pd-old-plug")) {
      insertEvent(device, old);
      insertEvent(device, Instant.now());
    }

    platform.restart(); // a round runs at start

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                platform.count("SELECT count(*) FROM device_events WHERE device_id = 'pd-old-lock'")
                    == 1);
    assertThat(
            platform.count(
                "SELECT count(*) FROM device_events WHERE device_id = 'pd-old-lock' AND ts > ?",
                Timestamp.from(old.plus(Duration.ofDays(1)))))
        .isEqualTo(1);
    assertThat(platform.count("SELECT count(*) FROM device_events WHERE device_id = 'pd-old-plug'"))
        .isEqualTo(2);
    refreshClients();
  }

  @Test
  void theDataKeyIsOwnerOnlyAndARestartWithItReadsOldRowsAndSealsClearOnes() throws IOException {
    Path key = dataDir.resolve("data.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    admin.provisionFridge("pd-restart", "CUST-pd-restart", "standard");
    admin.provisionFridge("pd-legacy", "CUST-pd-placeholder", "standard");
    // As written before V92 (or by a tool writing the table directly): in clear, no index.
    platform.execute(
        "UPDATE devices SET customer_ref = 'CUST-pd-legacy', customer_ref_index = NULL,"
            + " home_id = 'HOME-pd-legacy', home_id_index = NULL WHERE id = 'pd-legacy'");

    platform.restart();
    refreshClients();

    assertThat(admin.get("/api/v1/devices/pd-restart").body().get("customerRef").asText())
        .isEqualTo("CUST-pd-restart");
    assertThat(storedCustomerRef("pd-legacy")).startsWith("sv1:").doesNotContain("CUST-pd-legacy");
    assertThat(admin.get("/api/v1/devices/pd-legacy").body().get("customerRef").asText())
        .isEqualTo("CUST-pd-legacy");
    assertThat(deviceIds(admin.get("/api/v1/devices?customer=CUST-pd-legacy")))
        .containsExactly("pd-legacy");
    assertThat(storedColumn("pd-legacy", "home_id")).startsWith("sv1:");
    assertThat(deviceIds(admin.get("/api/v1/devices?home=HOME-pd-legacy")))
        .containsExactly("pd-legacy");
  }

  @Test
  void aPlatformGivenAnotherDataKeyRefusesToStartNamingTheKeys() throws IOException {
    admin.provisionFridge("pd-other-key", "CUST-pd-other", "standard");
    Map<String, String> settings = new HashMap<>();
    settings.put("dataDir", Files.createTempDirectory("aftercare-privacy-other").toString());
    settings.put("http.port", "0");
    settings.put("mqtt.port", "0");
    settings.put("coap.port", "0");
    settings.put("coap.securePort", "0");
    settings.put("database.url", platform.database().url());
    settings.put("database.user", platform.database().user());
    settings.put("database.password", platform.database().password());
    settings.put("security.adminToken", "pd-other-admin");
    settings.put("security.dataKey", Base64.getEncoder().encodeToString(new byte[32]));

    assertThatThrownBy(() -> Platform.start(new ConfigLoader().load(settings)))
        .hasStackTraceContaining("are sealed under data key")
        .hasStackTraceContaining("restore the data key");
  }

  private static void refreshClients() {
    admin = platform.api();
    viewer = admin.as(viewerToken);
  }

  private static String storedCustomerRef(String deviceId) {
    return storedColumn(deviceId, "customer_ref");
  }

  /** The column's value as the database holds it, read with SQL. */
  private static String storedColumn(String deviceId, String column) {
    try (Connection c = platform.database().connect();
        PreparedStatement select =
            c.prepareStatement("SELECT " + column + " FROM devices WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void insertEvent(String deviceId, Instant ts) {
    platform.execute(
        "INSERT INTO device_events (device_id, ts, received_at, type, code)"
            + " VALUES (?, ?, ?, 'door', 'OPENED')",
        deviceId,
        Timestamp.from(ts),
        Timestamp.from(ts));
  }

  private static long entries(String target) {
    return platform.count(
        "SELECT count(*) FROM audit_log WHERE action = 'data.read.sensitive'"
            + " AND actor = 'pd-viewer' AND target = ?",
        target);
  }

  /** The one data.read.sensitive entry of pd-viewer on {@code target}: its detail. */
  private static JsonNode onlyEntry(String target) {
    assertThat(entries(target)).isEqualTo(1);
    JsonNode listed =
        admin
            .get("/api/v1/audit?action=data.read.sensitive&actor=pd-viewer&target=" + target)
            .body()
            .get("entries");
    assertThat(listed.size()).isEqualTo(1);
    return listed.get(0).get("detail");
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(name -> names.add(name.asText()));
    return names;
  }

  private static List<String> deviceIds(ApiClient.Response response) {
    assertThat(response.status()).isEqualTo(200);
    return response.body().get("devices").findValuesAsText("id");
  }
}
