package io.aftercare.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
 * Notifications are visible in the console as well: a fridge warms up over MQTT, the rule sends the
 * alarm to a real Slack-compatible receiver, and a viewer sees the sent notification appear on the
 * notifications page without reloading it (the page refreshes on the live alarm events).
 */
class NotificationsBrowserTest {

  private static FakeHelpdesk slack;
  private static TestPlatform platform;
  private static String viewerToken;

  @RegisterExtension
  final ConsoleBrowser browser =
      new ConsoleBrowser(() -> "http://127.0.0.1:" + platform.platform().httpPort());

  @BeforeAll
  static void start() {
    slack = FakeHelpdesk.start();
    Map<String, String> overrides = new HashMap<>();
    overrides.put("notifications.rules.fridges.events", "alarm.raised");
    overrides.put("notifications.rules.fridges.slack", "true");
    overrides.put("notifications.slack.webhookUrl", slack.url("/slack"));
    overrides.put("notifications.outboundAllowPrivate", "true");
    overrides.put("notifications.pollInterval", "100ms");
    platform = TestPlatform.start(overrides);
    viewerToken = platform.api().createStaff("nora", "viewer");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  @Test
  void aSentNotificationAppearsOnTheNotificationsPage() throws Exception {
    browser.signIn(viewerToken);
    browser.open("/notifications");
    browser.visible("notifications-table");

    ApiClient admin = platform.api();
    String token = admin.provisionDevice("nb-fridge", "fridge");
    MqttClient fridge = PahoDevices.v3(platform.mqttUri(), "nb-fridge", token);
    try {
      Instant from = Instant.now().minus(Duration.ofHours(3));
      for (int minute = 0; minute <= 40; minute += 5) {
        String json =
            "{\"ts\":\""
                + from.plusSeconds(minute * 60L)
                + "\",\"metrics\":{\"fridge_temp_c\":9.5,\"door_open\":false}}";
        fridge.publish(
            "devices/nb-fridge/telemetry", json.getBytes(StandardCharsets.UTF_8), 1, false);
      }
    } finally {
      fridge.disconnect();
      fridge.close();
    }

    browser.until(d -> rows().stream().anyMatch(row -> row.getText().contains("nb-fridge")));
    browser.until(d -> rows().get(0).getText().contains("sent"));
    String row = rows().get(0).getText();
    assertThat(row).contains("alarm.raised", "slack", "fridges");
    assertThat(slack.received()).isNotEmpty();
  }

  private List<WebElement> rows() {
    return browser
        .element("notifications-table")
        .findElements(By.cssSelector("tbody tr[data-test=row]"));
  }
}
