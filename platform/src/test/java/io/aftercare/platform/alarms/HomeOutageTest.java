package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.AlarmLookups;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.HeardDevices;
import io.aftercare.platform.testing.QuickOfflineRules;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Root cause across the devices of one home, with real MQTT devices losing their connections as in
 * a power cut: one home alarm instead of a ticket per device, and only when most devices of one
 * home go down together. {@code device_offline} is overridden to raise after 2 s of silence.
 */
class HomeOutageTest {

  private static TestPlatform platform;
  private static ApiClient admin;
  private static final Map<String, String> TOKENS = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    platform = TestPlatform.start(QuickOfflineRules.settings());
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aHomeLosingPowerRaisesOneHomeAlarmAndNoDeviceTicketsAndClearsWhenItIsBack()
      throws Exception {
    List<String> home = List.of("ho-plug", "ho-thermostat", "ho-camera");
    List<MqttClient> devices = new ArrayList<>();
    for (String id : home) {
      devices.add(connectedInHome(id, "home-outage-1"));
    }
    devices.forEach(HeardDevices::loseConnection);

    JsonNode homeAlarm =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> homeAlarmOf("ho-plug"),
                found -> found.isPresent() && found.get().get("explains").size() == 3)
            .get();
    assertThat(homeAlarm.get("status").asText()).isEqualTo("active");
    assertThat(homeAlarm.get("description").asText()).isEqualTo(HomeOutages.DESCRIPTION);
    assertThat(homeAlarm.get("devicesTotal").asInt()).isEqualTo(3);
    assertThat(homeAlarm.get("devicesOffline").asInt()).isEqualTo(3);
    List<String> linkedDevices = new ArrayList<>();
    for (JsonNode explained : homeAlarm.get("explains")) {
      linkedDevices.add(explained.get("deviceId").asText());
      assertThat(explained.get("ruleId").asText()).isEqualTo("device_offline");
    }
    assertThat(linkedDevices).containsExactlyInAnyOrderElementsOf(home);
    // Each device's alarm is there, decided, and wanted neither remedy nor ticket.
    for (String id : home) {
      JsonNode alarm = offlineAlarm(id);
      assertThat(alarm.get("status").asText()).isEqualTo("active");
      assertThat(alarm.get("ticketRequested").asBoolean()).isFalse();
      assertThat(alarm.get("remediation").get("state").asText()).isEqualTo("none");
    }
    // Nothing was asked of the service desk for these devices.
    for (String id : home) {
      assertThat(platform.count("SELECT count(*) FROM ticket_requests WHERE device_id = ?", id))
          .isZero();
    }
    assertThat(
            platform.count(
                "SELECT count(DISTINCT home_alarm_id) FROM alarms WHERE device_id LIKE 'ho-%'"))
        .isEqualTo(1);

    // Power is back: every device reconnects, reports and stays connected; the home alarm clears
    // with their alarms.
    for (String id : home) {
      HeardDevices.connectAndReport(platform, id, TOKENS.get(id));
    }
    JsonNode cleared =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> homeAlarmOf("ho-plug").orElseThrow(),
                found -> found.get("status").asText().equals("cleared"));
    assertThat(cleared.get("clearedAt")).isNotNull();
    for (JsonNode explained : cleared.get("explains")) {
      assertThat(explained.get("status").asText()).isEqualTo("cleared");
    }
    assertThat(admin.get("/api/v1/home-alarms?status=active").body().get("homeAlarms")).isEmpty();
    assertThat(
            platform.count(
                "SELECT count(DISTINCT home_alarm_id) FROM alarms WHERE device_id LIKE 'ho-%'"))
        .isEqualTo(1);
  }

  @Test
  void devicesOfTwoHomesGoingSilentTogetherRaiseNoHomeAlarmAndEachOpensItsTicket()
      throws Exception {
    // Two homes of two devices each; one device of each goes down at the same moment.
    MqttClient downInFirst = connectedInHome("ht-first-plug", "home-two-a");
    connectedInHome("ht-first-fridge", "home-two-a");
    MqttClient downInSecond = connectedInHome("ht-second-plug", "home-two-b");
    connectedInHome("ht-second-fridge", "home-two-b");
    HeardDevices.loseConnection(downInFirst);
    HeardDevices.loseConnection(downInSecond);

    for (String id : List.of("ht-first-plug", "ht-second-plug")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> hasOfflineAlarm(id) && offlineAlarm(id).get("ticketRequested").asBoolean());
    }
    assertThat(homeAlarmOf("ht-first-plug")).isEmpty();
    assertThat(homeAlarmOf("ht-second-plug")).isEmpty();
  }

  @Test
  void theHomeAlarmIsBadRequestForAnUnknownStatus() {
    ApiClient.Response response = admin.get("/api/v1/home-alarms?status=open");
    assertThat(response.status()).isEqualTo(400);
  }

  private static MqttClient connectedInHome(String id, String homeId) throws Exception {
    String token =
        admin.provisionDevice(Map.of("id", id, "type", "smart_plug", "homeId", homeId)).token();
    TOKENS.put(id, token);
    return HeardDevices.connectAndReport(platform, id, token);
  }

  private static boolean hasOfflineAlarm(String deviceId) {
    return AlarmLookups.alarmOf(admin, deviceId, "device_offline").isPresent();
  }

  private static JsonNode offlineAlarm(String deviceId) {
    return AlarmLookups.offlineAlarm(admin, deviceId);
  }

  /** The home alarm that explains the device's alarm, if any. */
  private static Optional<JsonNode> homeAlarmOf(String deviceId) {
    return AlarmLookups.homeAlarmExplaining(admin, deviceId);
  }
}
