package io.aftercare.platform.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What an on-demand diagnostic report concludes, for devices reached over real MQTT. */
class DiagnosticReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
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
  void aSelfTestThatRanAndFoundAFailedComponentIsAFinding() throws Exception {
    String token = admin.provisionDevice("hub-radio", "hub");
    MqttClient hub = PahoDevices.v3(platform.mqttUri(), "hub-radio", token);
    hub.subscribe(
        "devices/hub-radio/commands",
        1,
        (topic, message) -> {
          ObjectNode result = JSON.createObjectNode();
          result.put("commandId", JSON.readTree(message.getPayload()).get("commandId").asText());
          result.put("status", "succeeded");
          ObjectNode output = result.putObject("output").put("result", "fail");
          output.putObject("components").put("sensors", "pass").put("radio", "fail");
          // Paho forbids publishing from its callback thread.
          new Thread(() -> publish(hub, "hub-radio", "commands/result", result)).start();
        });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> admin.get("/api/v1/devices/hub-radio").body().get("online").asBoolean());

    JsonNode report = report("hub-radio");

    assertThat(report.get("selfTest").get("status").asText()).isEqualTo("succeeded");
    JsonNode finding = report.get("findings").get(0);
    assertThat(finding.get("ruleId").asText()).isEqualTo("self_test");
    assertThat(finding.get("category").asText()).isEqualTo("device_fault");
    assertThat(finding.get("evidence").get("failingComponents").toString())
        .isEqualTo("[\"radio\"]");
    assertThat(report.get("probableCategory").asText()).isEqualTo("device_fault");
    assertThat(report.get("recommendedActions").toString())
        .contains("radio")
        .doesNotContain("no fault found");
    hub.disconnect();
  }

  @Test
  void anOfflineDevicesSilenceUpToTheReportIsItsLongestGapAndATechnicianIsToldWhatToCheck()
      throws Exception {
    String token = admin.provisionDevice("plug-quiet", "smart_plug");
    MqttClient plug = PahoDevices.v3(platform.mqttUri(), "plug-quiet", token);
    // Four reports 15 s apart, the last one more than five minutes ago.
    Instant first = Instant.now().minus(Duration.ofMinutes(6));
    for (int i = 0; i < 4; i++) {
      ObjectNode document =
          JSON.createObjectNode().put("ts", first.plusSeconds(15L * i).toString());
      document.putObject("metrics").put("power_w", 12);
      publish(plug, "plug-quiet", "telemetry", document);
    }
    plug.disconnect();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !admin.get("/api/v1/devices/plug-quiet").body().get("online").asBoolean());

    JsonNode report = report("plug-quiet");

    JsonNode connectivity = report.get("connectivity");
    assertThat(connectivity.get("telemetryDocuments").asLong()).isEqualTo(4);
    assertThat(connectivity.get("longestGapSeconds").asDouble()).isGreaterThan(5 * 60);
    assertThat(connectivity.get("silentForSeconds").asDouble()).isGreaterThan(5 * 60);
    assertThat(report.get("probableCategory").asText()).isEqualTo("connectivity");
    assertThat(report.get("recommendedActions").toString()).contains("power supply", "network");
  }

  /** Starts a session and waits for its report. */
  private static JsonNode report(String deviceId) {
    String id =
        admin
            .post("/api/v1/devices/" + deviceId + "/diagnostics", "{}")
            .body()
            .get("diagnosticId")
            .asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin
                    .get("/api/v1/diagnostics/" + id)
                    .body()
                    .get("status")
                    .asText()
                    .equals("completed"));
    return admin.get("/api/v1/diagnostics/" + id).body().get("report");
  }

  private static void publish(MqttClient device, String id, String suffix, JsonNode document) {
    try {
      device.publish("devices/" + id + "/" + suffix, JSON.writeValueAsBytes(document), 1, false);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
