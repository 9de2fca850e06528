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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Devices behind a hub, with real MQTT devices dropping their connections: every device behind one
 * hub offline while the rest of the home is up blames the hub (one hub_failure home alarm, no
 * device tickets; the hub's own ticket when it is down too), and a whole home down is still an
 * outage. {@code device_offline} is overridden to raise after 2 s of silence.
 */
class HubFailureTest {

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
  void devicesBehindAHubThatStaysUpGoingOfflineRaiseOneHubFailureAndNoTicket() throws Exception {
    Map<String, MqttClient> home = homeWithHub("hu");
    HeardDevices.loseConnection(home.get("hu-sensor-1"));
    HeardDevices.loseConnection(home.get("hu-sensor-2"));

    JsonNode hubAlarm =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> homeAlarmOf("hu-sensor-1"),
                found -> found.isPresent() && found.get().get("explains").size() == 2)
            .get();
    assertThat(hubAlarm.get("kind").asText()).isEqualTo("hub_failure");
    assertThat(hubAlarm.get("hubId").asText()).isEqualTo("hu-hub");
    assertThat(hubAlarm.get("status").asText()).isEqualTo("active");
    assertThat(hubAlarm.get("devicesTotal").asInt()).isEqualTo(2);
    assertThat(hubAlarm.get("description").asText()).contains("hu-hub");
    assertThat(explainedDevices(hubAlarm)).containsExactlyInAnyOrder("hu-sensor-1", "hu-sensor-2");
    for (String id : List.of("hu-sensor-1", "hu-sensor-2")) {
      JsonNode alarm = offlineAlarm(id).orElseThrow();
      assertThat(alarm.get("ticketRequested").asBoolean()).isFalse();
      assertThat(alarm.get("remediation").get("state").asText()).isEqualTo("none");
    }
    assertThat(platform.count("SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'hu-%'"))
        .isZero();
    assertThat(
            platform.count(
                "SELECT count(DISTINCT home_alarm_id) FROM alarms WHERE device_id LIKE 'hu-%'"))
        .isEqualTo(1);

    // The hub's radio is back: the devices behind it report again, and the hub failure clears.
    for (String id : List.of("hu-sensor-1", "hu-sensor-2")) {
      HeardDevices.connectAndReport(platform, id, TOKENS.get(id));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> homeAlarmOf("hu-sensor-1").orElseThrow().get("status").asText(),
            "cleared"::equals);
  }

  @Test
  void aHubOfflineWithItsDevicesGetsTheOneTicketAndTheirAlarmsNone() throws Exception {
    Map<String, MqttClient> home = homeWithHub("hd");
    HeardDevices.loseConnection(home.get("hd-hub"));
    HeardDevices.loseConnection(home.get("hd-sensor-1"));
    HeardDevices.loseConnection(home.get("hd-sensor-2"));

    JsonNode hubAlarm =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> homeAlarmOf("hd-sensor-1"),
                found -> found.isPresent() && found.get().get("explains").size() == 2)
            .get();
    assertThat(hubAlarm.get("kind").asText()).isEqualTo("hub_failure");
    assertThat(hubAlarm.get("hubId").asText()).isEqualTo("hd-hub");
    assertThat(explainedDevices(hubAlarm)).containsExactlyInAnyOrder("hd-sensor-1", "hd-sensor-2");
    // The hub is the cause: its own absence alarm is not explained away and asks for the ticket.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                offlineAlarm("hd-hub")
                    .map(alarm -> alarm.get("ticketRequested").asBoolean())
                    .orElse(false));
    assertThat(homeAlarmOf("hd-hub")).isEmpty();
    assertThat(platform.count("SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'hd-%'"))
        .isEqualTo(1);
    assertThat(platform.count("SELECT count(*) FROM ticket_requests WHERE device_id = 'hd-hub'"))
        .isEqualTo(1);
  }

  @Test
  void aWholeHomeDownWithItsHubIsStillAnOutage() throws Exception {
    Map<String, MqttClient> home = homeWithHub("hw");
    home.values().forEach(HeardDevices::loseConnection);

    JsonNode outage =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> homeAlarmOf("hw-sensor-1"),
                found -> found.isPresent() && found.get().get("explains").size() == home.size())
            .get();
    assertThat(outage.get("kind").asText()).isEqualTo("outage");
    assertThat(outage.has("hubId")).isFalse();
    assertThat(explainedDevices(outage)).containsExactlyInAnyOrderElementsOf(home.keySet());
    assertThat(platform.count("SELECT count(*) FROM home_alarms WHERE hub_id = 'hw-hub'")).isZero();
    assertThat(platform.count("SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'hw-%'"))
        .isZero();
  }

  @Test
  void aHubMustBeAnotherRegisteredDeviceOfTheSameHomeOneLevelDeep() {
    admin.provisionDevice(Map.of("id", "hv-hub", "type", "hub", "homeId", "hub-valid"));
    admin.provisionDevice(Map.of("id", "hv-other-hub", "type", "hub", "homeId", "hub-elsewhere"));
    admin.provisionDevice(
        Map.of("id", "hv-sensor", "type", "smart_plug", "homeId", "hub-valid", "hubId", "hv-hub"));
    assertThat(admin.get("/api/v1/devices/hv-sensor").body().get("hubId").asText())
        .isEqualTo("hv-hub");

    assertThat(provision("hv-x1", "hub-valid", "no-such-hub")).isEqualTo(400);
    assertThat(provision("hv-x2", "hub-valid", "hv-other-hub")).isEqualTo(400);
    assertThat(provision("hv-x3", null, "hv-hub")).isEqualTo(400);
    // One level deep: the sensor has a hub, so nothing sits behind it, and the hub behind none.
    assertThat(provision("hv-x4", "hub-valid", "hv-sensor")).isEqualTo(400);
    assertThat(admin.patch("/api/v1/devices/hv-hub", Map.of("hubId", "hv-sensor")).status())
        .isEqualTo(400);
    // Moving the hub to another home would leave its devices behind a hub of another home.
    assertThat(admin.patch("/api/v1/devices/hv-hub", Map.of("homeId", "hub-elsewhere")).status())
        .isEqualTo(400);
    assertThat(admin.patch("/api/v1/devices/hv-sensor", Map.of("hubId", "hv-sensor")).status())
        .isEqualTo(400);

    Map<String, Object> off = new HashMap<>();
    off.put("hubId", null);
    assertThat(admin.patch("/api/v1/devices/hv-sensor", off).status()).isEqualTo(200);
    assertThat(admin.get("/api/v1/devices/hv-sensor").body().has("hubId")).isFalse();
  }

  private static int provision(String id, String homeId, String hubId) {
    Map<String, Object> device = new HashMap<>(Map.of("id", id, "type", "smart_plug"));
    if (homeId != null) {
      device.put("homeId", homeId);
    }
    device.put("hubId", hubId);
    return admin.post("/api/v1/devices", device).status();
  }

  /**
   * A home of five connected devices: a hub with two devices behind it, and two on the home's
   * Wi-Fi.
   */
  private static Map<String, MqttClient> homeWithHub(String prefix) throws Exception {
    String homeId = "home-" + prefix;
    Map<String, MqttClient> home = new LinkedHashMap<>();
    home.put(prefix + "-hub", connected(prefix + "-hub", "hub", homeId, null));
    for (String sensor : List.of(prefix + "-sensor-1", prefix + "-sensor-2")) {
      home.put(sensor, connected(sensor, "smart_plug", homeId, prefix + "-hub"));
    }
    for (String other : List.of(prefix + "-tv-plug", prefix + "-lamp")) {
      home.put(other, connected(other, "smart_plug", homeId, null));
    }
    return home;
  }

  private static MqttClient connected(String id, String type, String homeId, String hubId)
      throws Exception {
    Map<String, Object> device = new HashMap<>(Map.of("id", id, "type", type, "homeId", homeId));
    if (hubId != null) {
      device.put("hubId", hubId);
    }
    String token = admin.provisionDevice(device).token();
    TOKENS.put(id, token);
    return HeardDevices.connectAndReport(platform, id, token);
  }

  private static List<String> explainedDevices(JsonNode homeAlarm) {
    List<String> devices = new ArrayList<>();
    for (JsonNode explained : homeAlarm.get("explains")) {
      devices.add(explained.get("deviceId").asText());
    }
    return devices;
  }

  private static Optional<JsonNode> offlineAlarm(String deviceId) {
    return AlarmLookups.alarmOf(admin, deviceId, "device_offline");
  }

  /** The home alarm that explains the device's alarm, if any. */
  private static Optional<JsonNode> homeAlarmOf(String deviceId) {
    return AlarmLookups.homeAlarmExplaining(admin, deviceId);
  }
}
