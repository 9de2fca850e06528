package io.aftercare.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console shows an alarm's playbook run, step by step, on the alarm queue and the device page
 * (docs/diagnostics.md, "Playbooks"), in a real Chromium.
 */
class PlaybookRunBrowserTest {

  private static final String DEVICE = "pb-cam-1";
  private static TestPlatform platform;
  private static String viewerToken;
  private static long alarm;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    ApiClient admin = platform.api();
    viewerToken = admin.createStaff("pb-viewer", "viewer");
    admin.provisionDevice(DEVICE, "camera");
    // An alarm as remote-fix-first leaves it after the wifi_recovery playbook: its first step
    // skipped for a low battery, the second sent and verified.
    platform.execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket, remediation_state)"
            + " VALUES (?, 'wifi_flapping', 'minor', 'active', 'installation_environment',"
            + " now() - interval '5 minutes', now(), 3, true, 'verifying')",
        DEVICE);
    alarm = platform.count("SELECT id FROM alarms WHERE device_id = ?", DEVICE);
    event(
        "step_skipped",
        "{\"playbook\": \"wifi_recovery\", \"step\": \"reset_network\", \"command\":"
            + " \"reset_network\", \"reason\": \"precondition does not hold\","
            + " \"metrics\": {\"battery_pct\": 12}}");
    event(
        "remedy_sent",
        "{\"playbook\": \"wifi_recovery\", \"step\": \"reboot\", \"command\": \"reboot\","
            + " \"commandId\": \"c-pb-1\"}");
    event(
        "remedy_result",
        "{\"playbook\": \"wifi_recovery\", \"step\": \"reboot\", \"commandId\": \"c-pb-1\","
            + " \"status\": \"succeeded\"}");
  }

  private static void event(String type, String detail) {
    platform.execute(
        "INSERT INTO alarm_events (alarm_id, ts, type, actor, detail)"
            + " VALUES (?, now(), ?, 'DIAGNOSTICS', ?::jsonb)",
        alarm,
        type,
        detail);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theAlarmQueueShowsEachStepWithWhyOneWasSkipped() {
    browser.signIn(viewerToken);
    browser.open("/alarms?deviceId=" + DEVICE);

    browser.hasText("alarm-playbook-" + alarm, "reset_network: skipped · reboot: succeeded");
    assertThat(browser.element("alarm-playbook-" + alarm + "-reset_network").getAttribute("title"))
        .isEqualTo("precondition does not hold; readings: battery_pct = 12");
  }

  @Test
  void theDevicePageShowsTheRunOfItsOpenAlarm() {
    browser.signIn(viewerToken);
    browser.open("/devices/" + DEVICE);

    browser.hasText("alarm-playbook-" + alarm, "reset_network: skipped · reboot: succeeded");
  }
}
