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

/** The alarm queue in a real Chromium shows an active home outage with the devices it explains. */
class HomeOutageBrowserTest {

  private static TestPlatform platform;
  private static String viewerToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() throws Exception {
    platform =
        TestPlatform.start(
            Map.of(
                "diagnostics.rulesDir",
                QuickOfflineRules.folder().toString(),
                "diagnostics.tickInterval",
                "200ms"));
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
      device.disconnectForcibly(0, 0, false);
      device.close();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                platform.count("SELECT count(*) FROM alarms WHERE home_alarm_id IS NOT NULL") == 2);

    browser.signIn(viewerToken);
    browser.element("nav-alarms").click();
    WebElement outage =
        browser.until(
            d ->
                d
                    .findElements(
                        By.cssSelector("[data-test='home-alarm-table'] tr[data-test='row']"))
                    .stream()
                    .findFirst()
                    .orElse(null));
    assertThat(outage.getText())
        .contains("Power or internet outage at home", "2 of 2 devices", "hb-plug", "hb-lamp");
    assertThat(
            browser
                .element("home-alarm-device-hb-plug")
                .findElement(By.tagName("a"))
                .getAttribute("href"))
        .endsWith("#/devices/hb-plug");
  }
}
