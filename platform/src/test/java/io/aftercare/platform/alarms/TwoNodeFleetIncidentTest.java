package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.HeardDevices;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.QuickOfflineRules;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An outage whose devices are held by two nodes on one database: both nodes raise the devices'
 * offline alarms at once, and still one incident explains them all; after node A restarts during
 * the outage, the devices coming back resolve it.
 */
class TwoNodeFleetIncidentTest {

  private static final int DEVICES = 12;

  private TestPlatform nodeA;
  private TestPlatform nodeB;

  @AfterEach
  void stop() {
    if (nodeB != null) {
      nodeB.close();
    }
    if (nodeA != null) {
      nodeA.close();
    }
  }

  @Test
  void devicesOfManyHomesOnTwoNodesGetOneIncidentAndNoTickets() throws Exception {
    Map<String, String> a = new HashMap<>(QuickOfflineRules.settings());
    a.put("diagnostics.fleetIncident.minHomes", "6");
    a.put("diagnostics.fleetIncident.window", "3s");
    a.put("cluster.nodeId", "node-a");
    a.put("security.adminToken", "fleet-nodes-admin-" + System.nanoTime());
    nodeA = TestPlatform.start(a);
    Map<String, String> b = new HashMap<>(a);
    b.put("cluster.nodeId", "node-b");
    nodeB = TestPlatform.startOnDatabaseOf(nodeA, b);

    Map<String, String> tokens = new HashMap<>();
    List<MqttClient> devices = new ArrayList<>();
    for (int i = 0; i < DEVICES; i++) {
      String id = "tf-" + i;
      tokens.put(
          id,
          nodeA
              .api()
              .provisionDevice(
                  Map.of(
                      "id", id, "type", "smart_plug", "region", "east", "homeId", "tf-home-" + i))
              .token());
      devices.add(reporting(i % 2 == 0 ? nodeA : nodeB, id, tokens.get(id)));
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                nodeA.count(
                        "SELECT count(DISTINCT device_id) FROM telemetry_documents"
                            + " WHERE device_id LIKE 'tf-%'")
                    == DEVICES);
    // The region's power goes: every connection drops without a DISCONNECT.
    for (MqttClient device : devices) {
      HeardDevices.loseConnection(device);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                nodeA.count(
                        "SELECT count(*) FROM alarms WHERE rule_id = 'device_offline'"
                            + " AND device_id LIKE 'tf-%' AND incident_id IS NOT NULL")
                    == DEVICES);
    assertThat(nodeA.count("SELECT count(*) FROM incidents WHERE origin = 'detected'"))
        .isEqualTo(1);
    assertThat(nodeA.count("SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'tf-%'"))
        .isZero();
    assertThat(nodeB.api().get("/api/v1/incidents").body().get("incidents").get(0).get("deviceIds"))
        .hasSize(DEVICES);

    // Node A restarts in the middle of the outage: the incident and its links are rows.
    nodeA.restart();
    for (int i = 0; i < DEVICES; i++) {
      String id = "tf-" + i;
      reporting(i % 2 == 0 ? nodeA : nodeB, id, tokens.get(id));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                nodeA.count(
                        "SELECT count(*) FROM incidents WHERE origin = 'detected'"
                            + " AND status = 'resolved'")
                    == 1);
    assertThat(nodeA.count("SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'tf-%'"))
        .isZero();
    assertThat(nodeA.count("SELECT count(*) FROM fleet_incidents WHERE status = 'over'"))
        .isEqualTo(1);
  }

  /** Connects to the node and sends one document (QoS 1: returns once it is stored). */
  private static MqttClient reporting(TestPlatform node, String id, String token) throws Exception {
    MqttClient device = PahoDevices.v3(node.mqttUri(), id, token);
    device.publish(
        "devices/" + id + "/telemetry",
        "{\"metrics\":{\"power_w\":3.0}}".getBytes(StandardCharsets.UTF_8),
        1,
        false);
    return device;
  }
}
