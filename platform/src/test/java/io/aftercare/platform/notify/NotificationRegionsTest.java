package io.aftercare.platform.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A regional service team gets only its region's faults: two fridges warm up, one in the north and
 * one in the south, and the north desk's rule mails the north one alone (a real SMTP server).
 */
class NotificationRegionsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private GreenMail smtp;
  private TestPlatform platform;

  @BeforeEach
  void start() {
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    Map<String, String> overrides = new HashMap<>();
    overrides.put("notifications.rules.north.events", "alarm.raised");
    overrides.put("notifications.rules.north.regions", "north");
    overrides.put("notifications.rules.north.email", "north-desk@example.com");
    overrides.put("notifications.email.host", "127.0.0.1");
    overrides.put("notifications.email.port", String.valueOf(smtp.getSmtp().getPort()));
    overrides.put("notifications.email.startTls", "false");
    overrides.put("notifications.pollInterval", "100ms");
    platform = TestPlatform.start(overrides);
  }

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
    smtp.stop();
  }

  @Test
  void aRuleWithRegionsMatchesOnlyDevicesOfThoseRegions() throws Exception {
    ApiClient admin = platform.api();
    Map<String, String> regions = Map.of("fridge-north", "north", "fridge-south", "south");
    for (Map.Entry<String, String> fridge : regions.entrySet()) {
      String token = admin.provisionDevice(fridge.getKey(), "fridge");
      assertThat(
              admin
                  .patch("/api/v1/devices/" + fridge.getKey(), Map.of("region", fridge.getValue()))
                  .status())
          .isEqualTo(200);
      MqttClient device = PahoDevices.v3(platform.mqttUri(), fridge.getKey(), token);
      warm(device, fridge.getKey(), Instant.now().minus(Duration.ofHours(3)));
      device.disconnect();
      device.close();
    }

    await()
        .atMost(WAIT)
        .until(
            () ->
                platform.count("SELECT count(*) FROM alarm_events WHERE type = 'raised'") == 2
                    && platform.count(
                            "SELECT count(*) FROM notification_cursors c WHERE source ="
                                + " 'alarm_events' AND last_id >= (SELECT max(id) FROM"
                                + " alarm_events WHERE type = 'raised')")
                        == 1
                    && smtp.getReceivedMessages().length == 1);

    MimeMessage mail = smtp.getReceivedMessages()[0];
    assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("north-desk@example.com");
    assertThat(mail.getSubject()).contains("fridge-north");
    assertThat((String) mail.getContent()).contains("region: north");
    assertThat(platform.count("SELECT count(*) FROM notifications")).isEqualTo(1);
  }

  /** 9.5 °C with the door closed for 40 minutes: beyond fridge_warm's 30. */
  private static void warm(MqttClient device, String id, Instant from) throws Exception {
    for (int minute = 0; minute <= 40; minute += 5) {
      String json =
          "{\"ts\":\""
              + from.plusSeconds(minute * 60L)
              + "\",\"metrics\":{\"fridge_temp_c\":9.5,\"door_open\":false}}";
      device.publish(
          "devices/" + id + "/telemetry", json.getBytes(StandardCharsets.UTF_8), 1, false);
    }
  }
}
