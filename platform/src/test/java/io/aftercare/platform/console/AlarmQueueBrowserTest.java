package io.aftercare.platform.console;

import static io.aftercare.platform.console.ConsoleBrowser.test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

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
  private static final List<MqttClient> connected = new ArrayList<>();

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
  static void stop() throws Exception {
    for (MqttClient device : connected) {
      device.disconnect();
      device.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  /**
   * A thermostat that connects over MQTT and reports a low battery, so that the rules engine raises
   * a real alarm (one the alarm service can acknowledge); returns the alarm's id.
   */
  private static long lowBatteryAlarm(String deviceId) throws Exception {
    MqttClient device =
        PahoDevices.v3(platform.mqttUri(), deviceId, admin.provisionDevice(deviceId, "thermostat"));
    connected.add(device);
    device.publish(
        "devices/" + deviceId + "/telemetry",
        "{\"metrics\":{\"battery_pct\":8}}".getBytes(StandardCharsets.UTF_8),
        1,
        false);
    String path = "/api/v1/alarms?ruleId=battery_low&deviceId=" + deviceId;
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> admin.get(path).body().get("alarms").size() == 1);
    return admin.get(path).body().get("alarms").get(0).get("id").asLong();
  }

  /** An alarm row as the rules engine stores one, to show a remote-fix state; returns its id. */
  private static long storedAlarm(String deviceId, String ruleId, String remediationState) {
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
  void supervisorAcknowledgesOneWithANoteThenASelectionAtOnce() throws Exception {
    long first = lowBatteryAlarm("aq-thermo-1");
    long second = lowBatteryAlarm("aq-thermo-2");
    long third = lowBatteryAlarm("aq-thermo-3");
    browser.signIn(supervisorToken);
    browser.open("/alarms?ruleId=battery_low");

    browser.visible("alarm-row-" + first);
    assertThat(browser.element("alarm-row-" + third).getText())
        .contains("aq-thermo-3", "battery_low");
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
  void aChangeMadeElsewhereReachesTheOpenQueueLive() throws Exception {
    long alarm = lowBatteryAlarm("aq-thermo-live");
    browser.signIn(supervisorToken);
    browser.open("/alarms?deviceId=aq-thermo-live");
    browser.hasText("alarm-status-" + alarm, "active");
    browser.until(d -> "open".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));

    ApiClient.Response ack =
        admin.post("/api/v1/alarms/" + alarm + "/ack", Map.of("note", "from another desk"));
    assertThat(ack.status()).as(String.valueOf(ack.body())).isEqualTo(200);

    browser.until(d -> statusOf(alarm).startsWith("acknowledged"));
  }

  @Test
  void aSnoozedAlarmLeavesTheQueueUntilAskedFor() throws Exception {
    long alarm = lowBatteryAlarm("aq-thermo-snooze");
    browser.signIn(supervisorToken);
    browser.open("/alarms?deviceId=aq-thermo-snooze");

    browser.element("alarm-snooze-" + alarm).click();
    String until = LocalDateTime.now().plusHours(2).truncatedTo(ChronoUnit.MINUTES).toString();
    // A datetime-local input takes keys in the browser's locale format; set its value instead.
    browser.script(
        "arguments[0].value = arguments[1]", browser.visible("alarm-snooze-until"), until);
    browser.type("alarm-snooze-note", "customer away until tonight");
    browser.element("alarm-snooze-form-submit").click();

    browser.visible("alarm-action-done");
    browser.visible("empty");
    assertThat(admin.get("/api/v1/alarms/" + alarm).body().has("snoozedUntil")).isTrue();
    new Select(browser.visible("alarms-filter-snoozed")).selectByValue("true");
    browser.element("alarms-apply").click();
    browser.until(d -> statusOf(alarm).contains("snoozed until"));
  }

  @Test
  void aTechnicianAssignsAnAlarmButIsNotOfferedToAcknowledgeIt() {
    admin.provisionDevice("aq-therm", "thermostat");
    long alarm = storedAlarm("aq-therm", "aq-sensor", "exhausted");
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
  void aForecastAlarmSaysWhenItsLimitIsReached() {
    admin.provisionDevice("aq-lock-drain", "door_lock");
    Instant estimated = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant reaches = estimated.plus(Duration.ofHours(6));
    // The details a forecast rule stores with its alarm (docs/diagnostics.md, "forecast").
    String details =
        "{\"forecast\": {\"metric\": \"battery_pct\", \"limit\": 0,"
            + " \"limitLabel\": \"battery empty\", \"estimatedAt\": \""
            + estimated
            + "\", \"reachesAt\": \""
            + reaches
            + "\", \"remainingS\": 21600, \"level\": 54.2, \"slopePerHour\": -9.0,"
            + " \"points\": 11, \"summary\": \"battery empty in about 6 h\"}}";
    platform.execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket, remediation_state, details)"
            + " VALUES (?, 'battery_drain_forecast', 'warning', 'active', 'device_fault', now(),"
            + " now(), 1, false, 'none', ?::jsonb)",
        "aq-lock-drain",
        details);
    long alarm =
        platform.count(
            "SELECT id FROM alarms WHERE device_id = ? AND rule_id = 'battery_drain_forecast'",
            "aq-lock-drain");
    browser.signIn(viewerToken);
    browser.open("/alarms?deviceId=aq-lock-drain");

    browser.visible("alarm-forecast-" + alarm);
    // The time is the browser's local time; the date is shown too when it is not today.
    assertThat(browser.element("alarm-forecast-" + alarm).getText())
        .matches("battery empty in about 6 h, at (\\d{4}-\\d{2}-\\d{2} )?\\d{2}:\\d{2}");
    assertThat(
            admin.get("/api/v1/alarms/" + alarm).body().at("/details/forecast/reachesAt").asText())
        .isEqualTo(reaches.toString());
  }

  @Test
  void aViewerSeesTheQueueWithoutActionButtons() {
    admin.provisionDevice("aq-cam", "camera");
    long alarm = storedAlarm("aq-cam", "aq-lens", "verifying");
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
