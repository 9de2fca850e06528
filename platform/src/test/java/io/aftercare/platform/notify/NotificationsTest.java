package io.aftercare.platform.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications end to end: fridges reporting a warm compartment over MQTT raise real alarms; the
 * rules send them to a real HTTP receiver (the Slack-compatible webhook) and a real SMTP server
 * (GreenMail); the console reads them back through the API. The notifier's clock is a {@link
 * MutableClock}, so the rate-limit window moves only when the test says.
 */
class NotificationsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
  private FakeHelpdesk slack;
  private GreenMail smtp;
  private TestPlatform platform;
  private final List<MqttClient> devices = new ArrayList<>();
  private final Map<String, String> tokens = new HashMap<>();

  @BeforeEach
  void start() {
    slack = FakeHelpdesk.start();
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    Map<String, String> overrides = new HashMap<>();
    overrides.put("notifications.rules.fridges.events", "alarm.raised");
    overrides.put("notifications.rules.fridges.deviceTypes", "fridge");
    overrides.put("notifications.rules.fridges.severities", "major");
    overrides.put("notifications.rules.fridges.slack", "true");
    overrides.put("notifications.rules.fridges.email", "oncall@example.com");
    // Matches none of the fridges' events: it must send nothing.
    overrides.put("notifications.rules.locks.deviceTypes", "door_lock");
    overrides.put("notifications.rules.locks.email", "locks@example.com");
    overrides.put("notifications.slack.webhookUrl", slack.url("/slack"));
    overrides.put("notifications.outboundAllowPrivate", "true");
    overrides.put("notifications.email.host", "127.0.0.1");
    overrides.put("notifications.email.port", String.valueOf(smtp.getSmtp().getPort()));
    overrides.put("notifications.email.startTls", "false");
    overrides.put("notifications.pollInterval", "100ms");
    overrides.put("notifications.rateLimit", "1");
    overrides.put("notifications.rateWindow", "10m");
    overrides.put("notifications.digestThreshold", "3");
    overrides.put("notifications.dedupeWindow", "30m");
    platform = TestPlatform.start(overrides, clock);
  }

  @AfterEach
  void stop() throws Exception {
    for (MqttClient device : devices) {
      if (device.isConnected()) {
        device.disconnect();
      }
      device.close();
    }
    if (platform != null) {
      platform.close();
    }
    smtp.stop();
    slack.close();
  }

  @Test
  void alarmsReachSlackAndEmailOnceDigestedWhenManyAndNothingIsLostOrDoubledByARestart()
      throws Exception {
    // A matching alarm: one Slack message and one e-mail.
    MqttClient first = fridge("fridge-1");
    warm(first, "fridge-1", Instant.now().minus(Duration.ofHours(3)));
    await().atMost(WAIT).until(() -> slackMessages().size() == 1 && mails().length == 1);
    assertThat(slackMessages().get(0).json().get("text").asText())
        .contains("alarm.raised", "fridge-1", "major");
    MimeMessage mail = mails()[0];
    assertThat(mail.getSubject()).contains("alarm.raised", "fridge-1");
    assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("oncall@example.com");

    // Four more at once, with the rate limit (1 per 10 min and channel) spent: they wait.
    for (int i = 2; i <= 5; i++) {
      warm(fridge("fridge-" + i), "fridge-" + i, Instant.now().minus(Duration.ofHours(3)));
    }
    await().atMost(WAIT).until(() -> notifications("pending").size() == 8);

    // A restart in between: the sent ones are not sent again, the waiting ones are still there.
    platform.restart();
    devices.clear();
    assertThat(notifications("pending")).hasSize(8);
    assertThat(notifications("sent")).hasSize(2);

    // The window moves on: the four go as one digest per channel.
    clock.advance(Duration.ofMinutes(11));
    await().atMost(WAIT).until(() -> slackMessages().size() == 2 && mails().length == 2);
    assertThat(slackMessages().get(1).json().get("text").asText())
        .contains("4 notifications", "fridge-2", "fridge-5");
    assertThat(mails()[1].getSubject()).isEqualTo("4 notifications");
    assertThat(notifications("digested")).hasSize(8);
    assertThat(notifications("pending")).isEmpty();

    // The same fault again within the dedupe window: recorded, not sent.
    MqttClient again = fridge("fridge-1");
    cool(again, "fridge-1", Instant.now().minus(Duration.ofMinutes(130)));
    await()
        .atMost(WAIT)
        .until(() -> platform.count("SELECT count(*) FROM alarms WHERE status = 'cleared'") == 1);
    warm(again, "fridge-1", Instant.now().minus(Duration.ofMinutes(80)));
    await().atMost(WAIT).until(() -> notifications("deduplicated").size() == 2);
    assertThat(notifications("pending")).isEmpty();
    assertThat(slackMessages()).hasSize(2);
    assertThat(mails()).hasSize(2);

    // The rule for door locks matched nothing: nothing was queued for it or sent to its address.
    assertThat(platform.count("SELECT count(*) FROM notifications WHERE rule = 'locks'")).isZero();
    for (MimeMessage sent : mails()) {
      assertThat(sent.getAllRecipients()[0].toString()).isEqualTo("oncall@example.com");
    }
    JsonNode listed = platform.api().get("/api/v1/notifications?limit=1").body();
    assertThat(listed.get("notifications")).hasSize(1);
  }

  @Test
  void statusFilterIsValidated() {
    assertThat(platform.api().get("/api/v1/notifications?status=lost").status()).isEqualTo(400);
  }

  /** Connects the fridge, provisioning it the first time. */
  private MqttClient fridge(String id) throws Exception {
    String token = tokens.computeIfAbsent(id, key -> platform.api().provisionDevice(key, "fridge"));
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    devices.add(device);
    return device;
  }

  /** 9.5 °C with the door closed for 40 minutes: beyond fridge_warm's 30. */
  private static void warm(MqttClient device, String id, Instant from) throws Exception {
    report(device, id, from, 9.5);
  }

  private static void cool(MqttClient device, String id, Instant from) throws Exception {
    report(device, id, from, 4.0);
  }

  private static void report(MqttClient device, String id, Instant from, double celsius)
      throws Exception {
    for (int minute = 0; minute <= 40; minute += 5) {
      String json =
          "{\"ts\":\""
              + from.plusSeconds(minute * 60L)
              + "\",\"metrics\":{\"fridge_temp_c\":"
              + celsius
              + ",\"door_open\":false}}";
      device.publish(
          "devices/" + id + "/telemetry", json.getBytes(StandardCharsets.UTF_8), 1, false);
    }
  }

  private List<FakeHelpdesk.Received> slackMessages() {
    return slack.received().stream().filter(r -> r.path().equals("/slack")).toList();
  }

  private MimeMessage[] mails() {
    return smtp.getReceivedMessages();
  }

  private List<JsonNode> notifications(String status) {
    List<JsonNode> rows = new ArrayList<>();
    platform
        .api()
        .get("/api/v1/notifications?status=" + status + "&limit=1000")
        .body()
        .get("notifications")
        .forEach(rows::add);
    return rows;
  }
}
