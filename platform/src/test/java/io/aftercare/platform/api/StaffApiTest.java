package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The staff REST API: bearer tokens, roles, problem+json errors, audit, queries. */
class StaffApiTest {

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
  void requestsWithoutAValidBearerTokenGetProblem401() {
    for (ApiClient caller :
        new ApiClient[] {admin.as(null), admin.as("nonsense"), admin.as("acs_x.y")}) {
      ApiClient.Response response = caller.get("/api/v1/devices");
      assertThat(response.status()).isEqualTo(401);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.body().get("status").asInt()).isEqualTo(401);
    }
  }

  @Test
  void adminCreatesStaffWhoseTokenWorksOnceIssuedAndStopsWorkingWhenRevoked() {
    ApiClient.Response created =
        admin.post("/api/v1/staff", Map.of("name", "tina", "role", "technician"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("role").asText()).isEqualTo("technician");
    String token = created.body().get("token").asText();
    assertThat(
            platform.count(
                "SELECT count(*) FROM staff WHERE token_hash::text LIKE '%' || ? || '%'", token))
        .as("the token is not stored in clear")
        .isZero();

    ApiClient tina = admin.as(token);
    assertThat(tina.get("/api/v1/devices").status()).isEqualTo(200);

    assertThat(admin.delete("/api/v1/staff/tina").status()).isEqualTo(204);
    assertThat(tina.get("/api/v1/devices").status()).isEqualTo(401);
  }

  @Test
  void onlyAdminsProvisionAndTheRefusalIsAudited() {
    ApiClient viewer = admin.as(admin.createStaff("victor", "viewer"));

    ApiClient.Response refused =
        viewer.post("/api/v1/devices", Map.of("id", "not-mine", "type", "plug"));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(admin.get("/api/v1/devices/not-mine").status()).isEqualTo(404);
    // The refusal is written beside the 403, not before it.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !admin.get("/api/v1/audit?actor=victor").body().get("entries").isEmpty());
    JsonNode entries = admin.get("/api/v1/audit?actor=victor").body().get("entries");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).get("action").asText()).isEqualTo("device.provision");
    assertThat(entries.get(0).get("outcome").asText()).isEqualTo("denied");
    assertThat(entries.get(0).get("detail").get("role").asText()).isEqualTo("viewer");
    assertThat(entries.get(0).get("detail").get("required").asText()).isEqualTo("admin");
    assertThat(admin.get("/api/v1/audit?actor=bootstrap-admin").body().get("entries"))
        .anySatisfy(
            entry -> {
              assertThat(entry.get("action").asText()).isEqualTo("staff.create");
              assertThat(entry.get("detail").get("role").asText()).isEqualTo("viewer");
            });
  }

  @Test
  void provisioningIsAuditedAndTheTokenIsShownOnce() {
    ApiClient.Response created =
        admin.post(
            "/api/v1/devices",
            Map.of(
                "id",
                "th-1",
                "type",
                "thermostat",
                "model",
                "T-100",
                "firmware",
                "1.2.3",
                "customerRef",
                "CRM-778",
                "customerTier",
                "premium",
                "soldOn",
                "2026-03-01"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("token").asText()).hasSizeGreaterThan(40);

    JsonNode device = admin.get("/api/v1/devices/th-1").body();
    assertThat(device.get("model").asText()).isEqualTo("T-100");
    assertThat(device.has("token")).isFalse();
    assertThat(device.get("customerTier").asText()).isEqualTo("premium");
    assertThat(device.get("soldOn").asText()).isEqualTo("2026-03-01");
    assertThat(admin.post("/api/v1/devices", Map.of("id", "th-1", "type", "thermostat")).status())
        .isEqualTo(409);
    JsonNode entries = admin.get("/api/v1/audit?actor=bootstrap-admin").body().get("entries");
    assertThat(entries)
        .anySatisfy(entry -> assertThat(entry.get("target").asText()).isEqualTo("device/th-1"));
  }

  @Test
  void badRequestsGetProblem400NamingTheField() {
    assertThat(
            admin
                .post("/api/v1/devices", Map.of("id", "bad id!", "type", "plug"))
                .body()
                .get("detail")
                .asText())
        .contains("id must match");
    assertThat(
            admin
                .post("/api/v1/devices", Map.of("id", "ok", "type", "Plug"))
                .body()
                .get("detail")
                .asText())
        .contains("type");
    assertThat(
            admin
                .post("/api/v1/devices", "{\"id\":\"ok\",\"type\":\"plug\",\"colour\":1}")
                .body()
                .get("detail")
                .asText())
        .contains("colour");
    assertThat(admin.post("/api/v1/devices", "not json").status()).isEqualTo(400);
    assertThat(
            admin
                .post("/api/v1/staff", Map.of("name", "x", "role", "root"))
                .body()
                .get("detail")
                .asText())
        .contains("role");
    assertThat(admin.get("/api/v1/devices/th-9/telemetry?from=yesterday").status()).isIn(400, 404);
  }

  @Test
  void viewerCannotReadTheAuditLog() {
    ApiClient viewer = admin.as(admin.createStaff("vera", "viewer"));
    assertThat(viewer.get("/api/v1/audit").status()).isEqualTo(403);
    ApiClient supervisor = admin.as(admin.createStaff("sam", "supervisor"));
    assertThat(supervisor.get("/api/v1/audit").status()).isEqualTo(200);
  }

  @Test
  void telemetryCanBeReadRawOrInBuckets() throws Exception {
    String token = admin.provisionDevice("bucket-1", "fridge");
    MqttClient device = PahoDevices.v3(platform.mqttUri(), "bucket-1", token);
    for (int second = 0; second < 120; second += 20) {
      String document =
          "{\"ts\":\"2026-11-23T10:0"
              + (second / 60)
              + ":"
              + String.format("%02d", second % 60)
              + "Z\",\"metrics\":{\"fridge_temp_c\":"
              + second
              + "}}";
      device.publish(
          "devices/bucket-1/telemetry", document.getBytes(StandardCharsets.UTF_8), 1, false);
    }
    device.disconnect();

    String range = "from=2026-11-23T10:00:00Z&to=2026-11-23T10:05:00Z";
    JsonNode raw =
        admin.get("/api/v1/devices/bucket-1/telemetry?metric=fridge_temp_c&" + range).body();
    assertThat(raw.get("points")).hasSize(6);
    JsonNode buckets =
        admin
            .get("/api/v1/devices/bucket-1/telemetry?metric=fridge_temp_c&bucket=1m&" + range)
            .body()
            .get("buckets");
    assertThat(buckets).hasSize(2);
    assertThat(buckets.get(0).get("avg").asDouble()).isEqualTo(20.0);
    assertThat(buckets.get(0).get("max").asDouble()).isEqualTo(40.0);
    assertThat(buckets.get(1).get("min").asDouble()).isEqualTo(60.0);
    assertThat(buckets.get(1).get("count").asLong()).isEqualTo(3);
    String iso = "/api/v1/devices/bucket-1/telemetry?metric=fridge_temp_c&bucket=PT1M&" + range;
    assertThat(admin.get(iso).body().get("buckets")).isEqualTo(buckets);
    // One metric is read out of the documents, all of them through the view: the same buckets.
    List<JsonNode> ofAll = new ArrayList<>();
    admin
        .get("/api/v1/devices/bucket-1/telemetry?bucket=1m&" + range)
        .body()
        .get("buckets")
        .forEach(
            b -> {
              if (b.get("metric").asText().equals("fridge_temp_c")) {
                ofAll.add(b);
              }
            });
    assertThat(ofAll).containsExactlyElementsOf(buckets);
    for (String refused : List.of("0s", "1500ms", "PT0.5S", "1w", "-1m", "367d", "P999999999D")) {
      ApiClient.Response bad =
          admin.get("/api/v1/devices/bucket-1/telemetry?bucket=" + refused + "&" + range);
      assertThat(bad.status()).as(refused).isEqualTo(400);
      assertThat(bad.contentType()).startsWith("application/problem+json");
      assertThat(bad.body().get("detail").asText())
          .isEqualTo(
              "query parameter 'bucket' must be a width such as 30s, 1m, 1h or 1d, at most 366d");
    }
    JsonNode limited = admin.get("/api/v1/devices/bucket-1/telemetry?limit=2&" + range).body();
    assertThat(limited.get("points")).hasSize(2);
    assertThat(limited.get("truncated").asBoolean()).isTrue();
  }

  @Test
  void healthAndMetricsAreServedWithoutToken() {
    ApiClient anonymous = admin.as(null);
    ApiClient.Response health = anonymous.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().get("database").asText()).isEqualTo("up");
    assertThat(platform.metric("aftercare_ingest_queue_rows")).isZero();
  }
}
