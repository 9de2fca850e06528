package io.aftercare.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A log bundle from a real MQTT device (docs/privacy.md, "Log bundles"): staff read it redacted;
 * the original is stored only sealed, readable by a supervisor who gives a reason (audited) and not
 * by a technician; the clear personal data is nowhere in the database.
 */
class LogBundlesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EMAIL = "jane.doe@example.com";
  private static final String SSID = "Doe Family 5G";
  private static final String LOG =
      "2026-12-07T09:00:00Z INFO wifi associated ssid=\""
          + SSID
          + "\" bssid 3c:84:6a:1f:22:9b\n"
          + "2026-12-07T09:00:01Z INFO dhcp 192.168.1.23 v6 fe80::1ff:fe23:4567:890a\n"
          + "2026-12-07T09:00:02Z INFO unlocked by user=jdoe, push to "
          + EMAIL
          + "\n"
          + "2026-12-07T09:00:03Z WARN motor current high";

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient technician;
  private static ApiClient supervisor;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    technician = admin.as(admin.createStaff("lb-tech", "technician"));
    supervisor = admin.as(admin.createStaff("lb-super", "supervisor"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aCollectedLogIsReadRedactedAndItsOriginalOnlyByASupervisorWithAReason() throws Exception {
    String token = admin.provisionDevice("lb-lock", "door_lock");
    MqttClient device = PahoDevices.v3(platform.mqttUri(), "lb-lock", token);
    try {
      ApiClient.Response submitted =
          technician.post(
              "/api/v1/devices/lb-lock/commands",
              Map.of("name", "collect_logs", "params", Map.of("minutes", 10)));
      assertThat(submitted.status()).isEqualTo(202);
      String commandId = submitted.body().get("commandId").asText();
      String output = JSON.writeValueAsString(Map.of("lines", 4, "log", LOG));
      device.publish(
          "devices/lb-lock/commands/result",
          ("{\"commandId\":\""
                  + commandId
                  + "\",\"status\":\"succeeded\",\"output\":"
                  + output
                  + "}")
              .getBytes(StandardCharsets.UTF_8),
          1,
          false);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  admin
                      .get("/api/v1/commands/" + commandId)
                      .body()
                      .get("status")
                      .asText()
                      .equals("succeeded"));

      JsonNode record = admin.get("/api/v1/commands/" + commandId).body();
      assertThat(record.get("output").has("log")).isFalse();
      long bundleId = record.at("/output/logBundleId").asLong();
      assertThat(record.at("/output/redactions/email").asInt()).isEqualTo(1);

      JsonNode listed = technician.get("/api/v1/devices/lb-lock/log-bundles").body();
      assertThat(listed.at("/bundles/0/id").asLong()).isEqualTo(bundleId);
      assertThat(listed.at("/bundles/0/commandId").asText()).isEqualTo(commandId);
      assertThat(listed.at("/bundles/0").has("log")).isFalse();

      ApiClient.Response redacted = technician.get("/api/v1/log-bundles/" + bundleId);
      assertThat(redacted.status()).isEqualTo(200);
      String text = redacted.body().get("log").asText();
      assertThat(text)
          .contains("ssid=[ssid]", "bssid [mac]", "dhcp [ipv4] v6 [ipv6]", "user=[name]", "[email]")
          .contains("WARN motor current high")
          .doesNotContain(EMAIL, SSID, "192.168.1.23", "3c:84:6a", "fe80::", "jdoe");
      assertThat(redacted.body().get("redactions"))
          .isEqualTo(
              JSON.valueToTree(
                  Map.of("ssid", 1, "email", 1, "mac", 1, "ipv6", 1, "ipv4", 1, "name", 1)));

      String original = "/api/v1/log-bundles/" + bundleId + "/original";
      ApiClient.Response refused = technician.post(original, Map.of("reason", "curious"));
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body().toString()).doesNotContain(EMAIL);
      assertThat(supervisor.post(original, Map.of()).status()).isEqualTo(400);

      ApiClient.Response opened =
          supervisor.post(original, Map.of("reason", "ticket 42: unlock events out of order"));
      assertThat(opened.status()).isEqualTo(200);
      assertThat(opened.body().get("log").asText()).isEqualTo(LOG);

      JsonNode audit = admin.get("/api/v1/audit?target=log-bundle/" + bundleId).body();
      assertThat(audit.get("entries").findValuesAsText("action"))
          .contains("log_bundle.read", "log_bundle.read_original");
      // A refusal is audited beside its 403, not before it: wait for its entry.
      String reads = "/api/v1/audit?action=log_bundle.read_original&target=log-bundle/" + bundleId;
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(admin.get(reads).body().get("entries").findValuesAsText("outcome"))
                      .containsExactlyInAnyOrder("allowed", "denied"));
      JsonNode read = admin.get(reads).body().get("entries");
      assertThat(read.findValuesAsText("reason")).contains("ticket 42: unlock events out of order");

      for (String clear : new String[] {EMAIL, SSID, "192.168.1.23"}) {
        String like = "%" + clear + "%";
        assertThat(
                platform.count(
                    "SELECT count(*) FROM log_bundles WHERE redacted LIKE ?"
                        + " OR original_sealed LIKE ?",
                    like,
                    like))
            .as(clear)
            .isZero();
        assertThat(platform.count("SELECT count(*) FROM commands WHERE output::text LIKE ?", like))
            .as(clear)
            .isZero();
        assertThat(platform.count("SELECT count(*) FROM audit_log WHERE detail::text LIKE ?", like))
            .as(clear)
            .isZero();
      }
    } finally {
      device.disconnect();
      device.close();
    }
  }

  @Test
  void anUnknownBundleIsNotFound() {
    assertThat(technician.get("/api/v1/log-bundles/999999").status()).isEqualTo(404);
    assertThat(technician.get("/api/v1/log-bundles/nope").status()).isEqualTo(404);
  }
}
