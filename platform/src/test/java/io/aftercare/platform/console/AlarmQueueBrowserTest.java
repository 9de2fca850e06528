package io.aftercare.platform.console;

import static io.aftercare.platform.console.ConsoleBrowser.test;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The alarm queue in Chromium: acknowledge one with a note, acknowledge a selection with per-alarm
 * outcomes, rows refreshed by live events, and no action buttons for a viewer.
 */
class AlarmQueueBrowserTest {

  private static TestPlatform platform;
  private static ApiClient admin;
  private static String supervisorToken;
  private static String technicianToken;
  private static String viewerToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    supervisorToken = admin.createStaff("aq-super", "supervisor");
    technicianToken = admin.createStaff("aq-tech", "technician");
    viewerToken = admin.createStaff("aq-viewer", "viewer");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** An active alarm on the device, as the rules engine records one; returns its id. */
  private static long activeAlarm(String deviceId, String ruleId, String remediationState) {
    platform.execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket, remediation_state)"
            + " VALUES (?, ?, 'major', 'active', 'device_fault', now() - interval '5 minutes',"
            + " now(), 1, false, ?)",
        deviceId,
        ruleId,
        remediationState);
    return platform.count(
        "SELECT id FROM alarms WHERE device_id = ? AND rule_id = ?", deviceId, ruleId);
  }

  private String statusOf(long alarm) {
    return browser.element("alarm-status-" + alarm).getText();
  }

  @Test
  void supervisorAcknowledgesOneWithANoteThenASelectionAtOnce() {
    admin.provisionDevice("aq-plug", "smart_plug");
    long first = activeAlarm("aq-plug", "aq-overheat", "exhausted");
    long second = activeAlarm("aq-plug", "aq-relay", "trying");
    long third = activeAlarm("aq-plug", "aq-wifi", "fixed");
    browser.signIn(supervisorToken);
    browser.open("/alarms?deviceId=aq-plug");

    browser.visible("alarm-row-" + first);
    assertThat(browser.element("alarm-remediation-" + first).getText()).isEqualTo("exhausted");
    assertThat(browser.element("alarm-remediation-" + second).getText()).isEqualTo("trying");
    browser.element("alarm-ack-" + first).click();
    browser.type("alarm-ack-note", "relay replaced on site");
    browser.element("alarm-ack-form-submit").click();
    browser.until(d -> statusOf(first).startsWith("acknowledged"));
    JsonNode acknowledged = admin.get("/api/v1/alarms/" + first).body();
    assertThat(acknowledged.get("acknowledgedBy").asText()).isEqualTo("aq-super");
    assertThat(acknowledged.get("ackNote").asText()).isEqualTo("relay replaced on site");

    // The acknowledged one is selected again: its outcome says it already was.
    browser.element("alarm-select-" + first).click();
    browser.element("alarm-select-" + second).click();
    browser.element("alarm-select-" + third).click();
    browser.type("alarm-bulk-note", "known firmware issue");
    browser.element("alarm-bulk-ack").click();

    browser.hasText("alarm-bulk-result-" + first, "Alarm " + first + ": already");
    browser.hasText("alarm-bulk-result-" + second, "Alarm " + second + ": acknowledged");
    browser.hasText("alarm-bulk-result-" + third, "Alarm " + third + ": acknowledged");
    browser.until(d -> statusOf(second).startsWith("acknowledged"));
    browser.until(d -> statusOf(third).startsWith("acknowledged"));
  }

  @Test
  void aChangeMadeElsewhereReachesTheOpenQueueLive() {
    admin.provisionDevice("aq-lock", "door_lock");
    long alarm = activeAlarm("aq-lock", "aq-battery", "none");
    browser.signIn(supervisorToken);
    browser.open("/alarms?deviceId=aq-lock");
    browser.hasText("alarm-status-" + alarm, "active");
    browser.until(d -> "open".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));

    ApiClient.Response ack =
        admin.post("/api/v1/alarms/" + alarm + "/ack", Map.of("note", "from another desk"));
    assertThat(ack.status()).as(String.valueOf(ack.body())).isEqualTo(200);

    browser.until(d -> statusOf(alarm).startsWith("acknowledged"));
  }

  @Test
  void aTechnicianAssignsAnAlarmButIsNotOfferedToAcknowledgeIt() {
    admin.provisionDevice("aq-therm", "thermostat");
    long alarm = activeAlarm("aq-therm", "aq-sensor", "exhausted");
    browser.signIn(technicianToken);
    browser.open("/alarms?deviceId=aq-therm");

    browser.visible("alarm-row-" + alarm);
    assertThat(browser.driver().findElements(test("alarm-ack-" + alarm))).isEmpty();
    assertThat(browser.driver().findElements(test("alarm-bulk-ack"))).isEmpty();
    browser.element("alarm-assign-" + alarm).click();
    // The form proposes the signed-in technician.
    assertThat(browser.visible("alarm-assignee").getAttribute("value")).isEqualTo("aq-tech");
    browser.element("alarm-assign-form-submit").click();

    browser.hasText("alarm-assignee-" + alarm, "aq-tech");
    assertThat(admin.get("/api/v1/alarms/" + alarm).body().get("assignee").asText())
        .isEqualTo("aq-tech");
  }

  @Test
  void aViewerSeesTheQueueWithoutActionButtons() {
    admin.provisionDevice("aq-cam", "camera");
    long alarm = activeAlarm("aq-cam", "aq-lens", "verifying");
    browser.signIn(viewerToken);
    browser.open("/alarms?deviceId=aq-cam");

    browser.visible("alarm-row-" + alarm);
    assertThat(browser.element("alarm-remediation-" + alarm).getText()).isEqualTo("verifying");
    assertThat(browser.driver().findElements(By.cssSelector("main button[data-test^='alarm-']")))
        .isEmpty();
    assertThat(browser.driver().findElements(test("alarm-bulk-ack"))).isEmpty();
    assertThat(browser.driver().findElements(test("alarm-select-" + alarm))).isEmpty();
  }
}
