package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.AlarmLookups;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.HeardDevices;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.QuickOfflineRules;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Root cause across homes, with real MQTT devices losing their connections together as in a
 * regional power cut: one incident declared by the engine instead of a ticket per device, resolved
 * when they are back; a device still down then gets its own ticket. Thresholds are low ({@code
 * minHomes} 10) and {@code device_offline} raises after 2 s of silence.
 *
 * <p>The tests run in order, each ending with its incident over and its devices back (but for the
 * ones it leaves down on purpose), so that the next one's devices neither join its incident nor
 * count with its devices as gone offline together.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIncidentTest {

  private static TestPlatform platform;
  private static ApiClient admin;
  private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    platform =
        TestPlatform.start(
            QuickOfflineRules.settings(
                "diagnostics.fleetIncident.minHomes",
                "10",
                "diagnostics.fleetIncident.window",
                "6s",
                "diagnostics.fleetIncident.significantCustomers",
                "10",
                "diagnostics.fleetIncident.majorCustomers",
                "14"));
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(1)
  void aRegionGoingDarkIsOneIncidentWithNoTicketsResolvedWhenItIsBack() throws Exception {
    // 12 homes of two devices, each home a customer of its own, and 8 devices in no home: 20
    // homes in region north, 32 devices.
    Map<String, Map<String, Object>> fleet = new LinkedHashMap<>();
    for (int home = 0; home < 12; home++) {
      for (String kind : List.of("plug", "lamp")) {
        String id = "fr-" + kind + "-" + home;
        fleet.put(
            id,
            Map.of(
                "id",
                id,
                "type",
                "smart_plug",
                "region",
                "north",
                "homeId",
                "north-home-" + home,
                "customerRef",
                "north-customer-" + home));
      }
    }
    for (int i = 0; i < 8; i++) {
      String id = "fr-alone-" + i;
      fleet.put(id, Map.of("id", id, "type", "smart_plug", "region", "north"));
    }
    // Three more homes of the region whose power goes a little later, three more customers.
    Map<String, Map<String, Object>> later = new LinkedHashMap<>();
    for (int home = 12; home < 15; home++) {
      String id = "fr-late-" + home;
      later.put(
          id,
          Map.of(
              "id",
              id,
              "type",
              "smart_plug",
              "region",
              "north",
              "homeId",
              "north-home-" + home,
              "customerRef",
              "north-customer-" + home));
    }
    Map<String, Map<String, Object>> all = new LinkedHashMap<>(fleet);
    all.putAll(later);
    List<MqttClient> devices = connected(all.values());
    String straggler = "fr-alone-7";

    devices.subList(0, fleet.size()).forEach(HeardDevices::loseConnection);
    JsonNode incident =
        await()
            .atMost(Duration.ofSeconds(45))
            .until(
                () -> detected("region north"),
                found ->
                    found.isPresent()
                        && openLinkedAlarms("fr-") == fleet.size()
                        && found.get().get("deviceIds").size() == fleet.size())
            .get();
    assertThat(incident.get("origin").asText()).isEqualTo("detected");
    assertThat(incident.get("title").asText())
        .isEqualTo("Outage: 20 homes in region north offline");
    assertThat(incident.get("level").asText()).isEqualTo("significant");
    assertThat(incident.get("declaredBy").asText()).isEqualTo(FleetIncidents.ACTOR);
    assertThat(incident.get("customerRefs")).hasSize(12);
    long incidentId = incident.get("id").asLong();
    // One incident, every alarm linked to it, and nothing asked of the service desk.
    assertThat(
            platform.count(
                "SELECT count(DISTINCT incident_id) FROM alarms WHERE device_id LIKE 'fr-%'"))
        .isEqualTo(1);
    assertThat(
            platform.count(
                "SELECT count(DISTINCT incident_id) FROM incident_scope WHERE ref LIKE 'fr-%'"))
        .isEqualTo(1);
    assertThat(platform.count("SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'fr-%'"))
        .isZero();
    for (String id : List.of("fr-plug-0", "fr-alone-3")) {
      JsonNode alarm = offlineAlarm(id);
      assertThat(alarm.get("incidentId").asLong()).isEqualTo(incidentId);
      assertThat(alarm.get("ticketRequested").asBoolean()).isFalse();
      assertThat(alarm.get("remediation").get("state").asText()).isEqualTo("none");
    }
    // A home's devices are also explained by their home alarm, itself part of the incident.
    assertThat(offlineAlarm("fr-lamp-4").get("homeAlarmId").isNumber()).isTrue();
    assertThat(
            platform.count(
                "SELECT count(*) FROM home_alarms WHERE status = 'active' AND incident_id = ?",
                incidentId))
        .isEqualTo(12);
    JsonNode homeAlarms = admin.get("/api/v1/home-alarms?status=active").body().get("homeAlarms");
    assertThat(homeAlarms).hasSize(12);
    for (JsonNode home : homeAlarms) {
      assertThat(home.get("incidentId").asLong()).isEqualTo(incidentId);
    }
    // The declaration is on the incident's timeline and in the audit log, by the engine.
    JsonNode detail = admin.get("/api/v1/incidents/" + incidentId).body();
    assertThat(detail.get("timeline").get(0).get("kind").asText()).isEqualTo("declared");
    assertThat(detail.get("timeline").get(0).get("actor").asText()).isEqualTo(FleetIncidents.ACTOR);
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'incident.declare' AND actor = ?"
                    + " AND target = ?",
                FleetIncidents.ACTOR,
                "incident/" + incidentId))
        .isEqualTo(1);

    // The outage spreads: the later homes join the open incident, their customers raise its level.
    devices.subList(fleet.size(), all.size()).forEach(HeardDevices::loseConnection);
    JsonNode grown =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> admin.get("/api/v1/incidents/" + incidentId).body(),
                found -> found.get("deviceIds").size() == all.size());
    assertThat(grown.get("level").asText()).isEqualTo("major");
    assertThat(grown.get("customerRefs")).hasSize(15);
    assertThat(grown.get("timeline").findValuesAsText("kind")).contains("level_raised");
    await().atMost(Duration.ofSeconds(15)).until(() -> openLinkedAlarms("fr-") == all.size());
    assertThat(offlineAlarm("fr-late-13").get("incidentId").asLong()).isEqualTo(incidentId);
    assertThat(platform.count("SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'fr-%'"))
        .isZero();

    // The power is back, but for one device.
    List<MqttClient> back =
        reporting(all.keySet().stream().filter(id -> !id.equals(straggler)).toList());
    JsonNode resolved =
        await()
            .atMost(Duration.ofSeconds(45))
            .until(
                () -> admin.get("/api/v1/incidents/" + incidentId).body(),
                found -> found.get("status").asText().equals("resolved"));
    List<String> kinds = new ArrayList<>();
    for (JsonNode entry : resolved.get("timeline")) {
      kinds.add(entry.get("kind").asText());
    }
    // Nobody responded: the engine took each step in order, after releasing the straggler.
    assertThat(kinds)
        .containsSubsequence(
            "declared", "devices_released", "recovered", "transition", "transition", "transition");
    assertThat(resolved.get("respondedAt").isTextual()).isTrue();
    assertThat(
            platform.count(
                "SELECT count(*) FROM audit_log WHERE action = 'incident.transition'"
                    + " AND actor = ? AND target = ?",
                FleetIncidents.ACTOR,
                "incident/" + incidentId))
        .isEqualTo(1);
    // The review and the close stay with staff.
    assertThat(resolved.get("closedAt")).isNull();
    JsonNode stragglerAlarm =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> offlineAlarm(straggler), alarm -> alarm.get("ticketRequested").asBoolean());
    assertThat(stragglerAlarm.get("incidentId")).isNull();
    assertThat(stragglerAlarm.get("status").asText()).isEqualTo("active");
    assertThat(platform.count("SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'fr-%'"))
        .isEqualTo(1);
    // The devices back stay connected: dropping them now would be another outage.
    assertThat(back).hasSize(all.size() - 1);
    awaitOver(incidentId);
  }

  @Test
  @Order(2)
  void fewHomesGoingSilentTogetherDeclareNothingAndEachOpensItsTicket() throws Exception {
    Map<String, Map<String, Object>> few = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      String id = "fs-" + i;
      few.put(id, Map.of("id", id, "type", "smart_plug", "region", "south", "homeId", "s-" + i));
    }
    connected(few.values()).forEach(HeardDevices::loseConnection);
    for (String id : few.keySet()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  platform.count("SELECT count(*) FROM ticket_requests WHERE device_id = ?", id)
                      == 1);
      assertThat(offlineAlarm(id).get("incidentId")).isNull();
    }
    assertThat(detected("region south")).isEmpty();
    reporting(List.copyOf(few.keySet()));
  }

  @Test
  @Order(3)
  void theBenchmarksSilentLoadDevicesAreOneIncidentNotAStormOfTickets() throws Exception {
    // Load devices as the benchmark registers them: no home, no region, no customer.
    Map<String, Map<String, Object>> load = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      String id = "fb-load-" + i;
      load.put(id, Map.of("id", id, "type", "smart_plug"));
    }
    connected(load.values()).forEach(HeardDevices::loseConnection);
    JsonNode incident =
        await()
            .atMost(Duration.ofSeconds(45))
            .until(
                () -> detected("fleet-wide"),
                found -> found.isPresent() && openLinkedAlarms("fb-load-") == load.size())
            .get();
    assertThat(incident.get("title").asText()).isEqualTo("Outage: 30 devices offline fleet-wide");
    assertThat(incident.get("level").asText()).isEqualTo("general");
    assertThat(admin.get("/api/v1/incidents?origin=declared").body().get("incidents")).isEmpty();
    assertThat(admin.get("/api/v1/incidents?origin=automatic").status()).isEqualTo(400);
    assertThat(
            platform.count("SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'fb-load-%'"))
        .isZero();

    // Staff judge it over while the devices are still down: each is then handled on its own.
    long id = incident.get("id").asLong();
    for (String step : List.of("responded", "handling", "resolved")) {
      assertThat(
              admin.post("/api/v1/incidents/" + id + "/transitions", Map.of("to", step)).status())
          .isEqualTo(200);
    }
    awaitOver(id);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'fb-load-%'")
                    == load.size());
    assertThat(openLinkedAlarms("fb-load-")).isZero();
  }

  /** Provisions and connects the devices; each has reported once and is held by the platform. */
  private static List<MqttClient> connected(Iterable<Map<String, Object>> devices)
      throws Exception {
    List<String> ids = new ArrayList<>();
    List<Callable<MqttClient>> connecting = new ArrayList<>();
    for (Map<String, Object> device : devices) {
      String id = (String) device.get("id");
      ids.add(id);
      // Connected right after it is provisioned: a device provisioned and silent for 2 s would
      // raise its offline alarm.
      connecting.add(
          () -> {
            TOKENS.put(id, admin.provisionDevice(device).token());
            return reporting(id);
          });
    }
    List<MqttClient> clients = inParallel(connecting);
    String like = ids.get(0).substring(0, 3) + "%";
    int expected = clients.size();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                platform.count(
                        "SELECT count(DISTINCT device_id) FROM telemetry_documents"
                            + " WHERE device_id LIKE ?",
                        like)
                    == expected);
    return clients;
  }

  /** Connects the devices, several at a time, each sending one document. */
  private static List<MqttClient> reporting(List<String> ids) throws Exception {
    List<Callable<MqttClient>> connecting = new ArrayList<>();
    for (String id : ids) {
      connecting.add(() -> reporting(id));
    }
    return inParallel(connecting);
  }

  private static List<MqttClient> inParallel(List<Callable<MqttClient>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<MqttClient>> connecting = new ArrayList<>();
      for (Callable<MqttClient> task : tasks) {
        connecting.add(pool.submit(task));
      }
      List<MqttClient> clients = new ArrayList<>();
      for (Future<MqttClient> client : connecting) {
        clients.add(client.get());
      }
      return clients;
    } finally {
      pool.shutdown();
    }
  }

  /** Connects the device and sends one document (QoS 1: returns once the platform stored it). */
  private static MqttClient reporting(String id) throws Exception {
    MqttClient client = PahoDevices.v3(platform.mqttUri(), id, TOKENS.get(id));
    client.publish(
        "devices/" + id + "/telemetry",
        "{\"metrics\":{\"power_w\":5.0}}".getBytes(StandardCharsets.UTF_8),
        1,
        false);
    return client;
  }

  private static long openLinkedAlarms(String prefix) {
    return platform.count(
        "SELECT count(*) FROM alarms WHERE incident_id IS NOT NULL AND status <> 'cleared'"
            + " AND device_id LIKE ?",
        prefix + "%");
  }

  /** The detected incident whose title names this, from the API's list. */
  private static Optional<JsonNode> detected(String titlePart) {
    for (JsonNode incident :
        admin.get("/api/v1/incidents?origin=detected").body().get("incidents")) {
      assertThat(incident.get("origin").asText()).isEqualTo("detected");
      if (incident.get("title").asText().contains(titlePart)) {
        return Optional.of(incident);
      }
    }
    return Optional.empty();
  }

  private static void awaitOver(long incidentId) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM fleet_incidents WHERE incident_id = ?"
                            + " AND status = 'over'",
                        incidentId)
                    == 1);
  }

  private static JsonNode offlineAlarm(String deviceId) {
    return AlarmLookups.offlineAlarm(admin, deviceId);
  }
}
