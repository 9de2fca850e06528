package io.aftercare.platform.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.HeardDevices;
import io.aftercare.platform.testing.QuickOfflineRules;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * In a real Chromium, the alarm queue shows a fleet incident the engine declared above the device
 * alarms it explains, each alarm says so, and the incident's page shows its origin and devices.
 */
class FleetIncidentBrowserTest {

  private static final List<String> DEVICES = List.of("fib-a", "fib-b", "fib-c");

  private static TestPlatform platform;
  private static String viewerToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() throws Exception {
    platform =
        TestPlatform.start(
            QuickOfflineRules.settings(
                "diagnostics.fleetIncident.minHomes",
                "3",
                "diagnostics.fleetIncident.window",
                "10s"));
    viewerToken = platform.api().createStaff("fleet-viewer", "viewer");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theAlarmQueueShowsTheFleetIncidentAndItsPageShowsOriginAndDevices() throws Exception {
    List<MqttClient> devices = new ArrayList<>();
    for (String id : DEVICES) {
      String token =
          platform
              .api()
              .provisionDevice(Map.of("id", id, "type", "smart_plug", "region", "west"))
              .token();
      devices.add(HeardDevices.connectAndReport(platform, id, token));
    }
    // The region's power goes.
    for (MqttClient device : devices) {
      HeardDevices.loseConnection(device);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                platform.count("SELECT count(*) FROM alarms WHERE incident_id IS NOT NULL")
                    == DEVICES.size());
    long alarmId = platform.count("SELECT id FROM alarms WHERE device_id = 'fib-a'");
    long incidentId = platform.count("SELECT incident_id FROM alarms WHERE device_id = 'fib-a'");

    browser.signIn(viewerToken);
    browser.element("nav-alarms").click();
    WebElement incident =
        browser.until(
            d ->
                d
                    .findElements(
                        By.cssSelector("[data-test='fleet-incident-table'] tr[data-test='row']"))
                    .stream()
                    .findFirst()
                    .orElse(null));
    assertThat(incident.getText())
        .contains("Outage: 3 devices in region west offline", "general", "3 devices");
    assertThat(browser.visible("alarm-incident-" + alarmId).getText())
        .isEqualTo("explained by incident #" + incidentId + ": no ticket");

    browser.element("fleet-incident-" + incidentId).click();
    assertThat(browser.visible("incident-origin").getText())
        .isEqualTo("detected by diagnostics-engine: many homes offline together");
    for (String id : DEVICES) {
      assertThat(
              browser
                  .element("incident-device-" + id)
                  .findElement(By.tagName("a"))
                  .getAttribute("href"))
          .endsWith("#/devices/" + id);
    }
    assertThat(browser.element("incident-timeline").getText()).contains("declared by");
  }
}
