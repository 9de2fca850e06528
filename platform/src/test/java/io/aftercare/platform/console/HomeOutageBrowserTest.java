package io.aftercare.platform.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.HeardDevices;
import io.aftercare.platform.testing.QuickOfflineRules;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
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
 * The alarm queue in a real Chromium shows the active home alarms, of each kind, with the devices
 * they explain.
 */
class HomeOutageBrowserTest {

  private static TestPlatform platform;
  private static String viewerToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() throws Exception {
    platform = TestPlatform.start(QuickOfflineRules.settings());
    viewerToken = platform.api().createStaff("home-viewer", "viewer");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theAlarmQueueShowsTheHomeOutageAboveTheDeviceAlarms() throws Exception {
    for (String id : List.of("hb-plug", "hb-lamp")) {
      String token =
          platform
              .api()
              .provisionDevice(Map.of("id", id, "type", "smart_plug", "homeId", "browser-home"))
              .token();
      MqttClient device = HeardDevices.connectAndReport(platform, id, token);
      HeardDevices.loseConnection(device);
    }
    // Another home's hub stays up while the two devices behind it go offline: a hub failure.
    String hubToken =
        platform
            .api()
            .provisionDevice(Map.of("id", "hb-hub", "type", "hub", "homeId", "browser-hub-home"))
            .token();
    HeardDevices.connectAndReport(platform, "hb-hub", hubToken);
    for (String id : List.of("hb-sensor-1", "hb-sensor-2")) {
      String token =
          platform
              .api()
              .provisionDevice(
                  Map.of(
                      "id",
                      id,
                      "type",
                      "smart_plug",
                      "homeId",
                      "browser-hub-home",
                      "hubId",
                      "hb-hub"))
              .token();
      MqttClient device = HeardDevices.connectAndReport(platform, id, token);
      HeardDevices.loseConnection(device);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                platform.count("SELECT count(*) FROM alarms WHERE home_alarm_id IS NOT NULL") == 4);

    browser.signIn(viewerToken);
    browser.element("nav-alarms").click();
    List<WebElement> rows =
        browser.until(
            d -> {
              List<WebElement> shown =
                  d.findElements(
                      By.cssSelector("[data-test='home-alarm-table'] tr[data-test='row']"));
              return shown.size() == 2 ? shown : null;
            });
    WebElement outage =
        rows.stream().filter(r -> r.getText().contains("hb-plug")).findFirst().orElseThrow();
    assertThat(outage.getText())
        .contains(
            "Home outage",
            "Power or internet outage at home",
            "2 of 2 devices",
            "hb-plug",
            "hb-lamp");
    WebElement hubFailure =
        rows.stream().filter(r -> r.getText().contains("hb-sensor-1")).findFirst().orElseThrow();
    assertThat(hubFailure.getText())
        .contains("Hub failure", "2 of 2 devices offline", "hb-sensor-2");
    assertThat(browser.element("home-alarm-hub-hb-hub").getAttribute("href"))
        .endsWith("#/devices/hb-hub");
    assertThat(
            browser
                .element("home-alarm-device-hb-plug")
                .findElement(By.tagName("a"))
                .getAttribute("href"))
        .endsWith("#/devices/hb-plug");
  }
}
