package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A home whose devices are held by two nodes on one database: both nodes raise the devices' offline
 * alarms at once, and still one home alarm explains them all.
 */
class TwoNodeHomeOutageTest {

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
  void devicesOfOneHomeOnTwoNodesGetOneHomeAlarmAndNoTickets() throws Exception {
    Map<String, String> a = new HashMap<>(QuickOfflineRules.settings());
    a.put("cluster.nodeId", "node-a");
    a.put("security.adminToken", "home-nodes-admin-" + System.nanoTime());
    nodeA = TestPlatform.start(a);
    Map<String, String> b = new HashMap<>(a);
    b.put("cluster.nodeId", "node-b");
    nodeB = TestPlatform.startOnDatabaseOf(nodeA, b);

    List<String> home = List.of("tn-plug-a1", "tn-plug-a2", "tn-plug-b1", "tn-plug-b2");
    List<MqttClient> devices = new ArrayList<>();
    for (String id : home) {
      String token =
          nodeA
              .api()
              .provisionDevice(Map.of("id", id, "type", "smart_plug", "homeId", "two-node-home"))
              .token();
      TestPlatform node = id.contains("-a") ? nodeA : nodeB;
      MqttClient device = PahoDevices.v3(node.mqttUri(), id, token);
      // QoS 1: returns once the node has stored the document, and the node now holds the device.
      device.publish(
          "devices/" + id + "/telemetry",
          "{\"metrics\":{\"power_w\":3.0}}".getBytes(StandardCharsets.UTF_8),
          1,
          false);
      devices.add(device);
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                nodeA.count(
                        "SELECT count(DISTINCT device_id) FROM telemetry_documents"
                            + " WHERE device_id LIKE 'tn-%'")
                    == home.size());
    // The power goes: every connection drops without a DISCONNECT.
    for (MqttClient device : devices) {
      HeardDevices.loseConnection(device);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                nodeA.count(
                        "SELECT count(*) FROM alarms WHERE rule_id = 'device_offline'"
                            + " AND device_id LIKE 'tn-%'")
                    == home.size());
    JsonNode homeAlarms = nodeB.api().get("/api/v1/home-alarms").body().get("homeAlarms");
    assertThat(homeAlarms).hasSize(1);
    assertThat(homeAlarms.get(0).get("explains")).hasSize(home.size());
    assertThat(
            nodeA.count(
                "SELECT count(*) FROM alarms WHERE device_id LIKE 'tn-%'"
                    + " AND (home_alarm_id IS NULL OR ticket_requested_at IS NOT NULL)"))
        .isZero();
    assertThat(nodeA.count("SELECT count(*) FROM ticket_requests WHERE device_id LIKE 'tn-%'"))
        .isZero();
  }
}
