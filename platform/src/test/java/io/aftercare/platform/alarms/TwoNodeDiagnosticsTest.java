package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one database, each with its own diagnostics engine: a device's state follows it from
 * one node to the other, and neither a takeover nor the same input on both nodes raises an alarm
 * twice or sends a remedy twice.
 */
class TwoNodeDiagnosticsTest {

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

  /** Node A on a fresh database, node B on A's database; both tick every 200 ms. */
  private void startTwoNodes() {
    Map<String, String> a = new HashMap<>();
    a.put("diagnostics.tickInterval", "200ms");
    a.put("cluster.nodeId", "node-a");
    a.put("security.adminToken", "two-nodes-admin-" + System.nanoTime());
    nodeA = TestPlatform.start(a);
    Map<String, String> b = new HashMap<>(a);
    b.put("cluster.nodeId", "node-b");
    b.put("database.url", nodeA.database().url());
    b.put("database.user", nodeA.database().user());
    b.put("database.password", nodeA.database().password());
    nodeB = TestPlatform.start(b);
  }

  private static void publish(TestPlatform node, String id, String token, String json)
      throws Exception {
    MqttClient device = PahoDevices.v3(node.mqttUri(), id, token);
    // QoS 1: returns once the node has stored the document.
    device.publish("devices/" + id + "/telemetry", json.getBytes(StandardCharsets.UTF_8), 1, false);
    device.disconnect();
  }

  private static String power(Instant ts, double watts) {
    return "{\"ts\":\"" + ts + "\",\"metrics\":{\"power_w\":" + watts + ",\"relay_on\":1}}";
  }

  private static String memory(Instant ts, double freePct) {
    return "{\"ts\":\"" + ts + "\",\"metrics\":{\"memory_free_pct\":" + freePct + "}}";
  }

  private JsonNode alarms(String deviceId) {
    return nodeA.api().get("/api/v1/alarms?deviceId=" + deviceId).body().get("alarms");
  }

  /**
   * Returns once each node has handled every input it had before, ticks included: a marker plug's
   * overload sent through the node comes out as an alarm only after them (one thread per node
   * handles its inputs in order). Called a second after {@code since}, so that several ticks of
   * both nodes came after it.
   */
  private void bothNodesCaughtUp(Instant since, String marker) throws Exception {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM platform_heartbeat WHERE listened_at > ?",
                        Timestamp.from(since.plusSeconds(1)))
                    == 1);
    for (TestPlatform node : List.of(nodeA, nodeB)) {
      String id = marker + "-" + (node == nodeA ? "a" : "b");
      String token = nodeA.api().provisionDevice(id, "smart_plug");
      publish(node, id, token, power(Instant.now(), 3000));
      await().atMost(Duration.ofSeconds(15)).until(() -> alarms(id).size() == 1);
    }
  }

  private long count(String sql, Object... parameters) {
    return nodeA.count(sql, parameters);
  }

  @Test
  void aDeviceMovingToTheOtherNodeKeepsOneAlarmAndOneRemedyAndTheNewNodeClearsIt()
      throws Exception {
    startTwoNodes();
    String token = nodeA.api().provisionDevice("plug-moving", "smart_plug");
    Instant t0 = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);

    publish(nodeA, "plug-moving", token, power(t0, 3000));
    await().atMost(Duration.ofSeconds(15)).until(() -> alarms("plug-moving").size() == 1);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> count("SELECT count(*) FROM commands WHERE device_id = ?", "plug-moving") == 1);

    // The device reconnects to node B, which has never seen it. It first delivers a reading it
    // took before the overload: late, as node A's state would have judged it, so it clears
    // nothing. Then the overload goes on.
    publish(nodeB, "plug-moving", token, power(t0.minusSeconds(60), 100));
    publish(nodeB, "plug-moving", token, power(t0.plusSeconds(60), 3000));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms("plug-moving").get(0).get("count").asLong() == 2);
    publish(nodeB, "plug-moving", token, power(t0.plusSeconds(120), 3100));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms("plug-moving").get(0).get("count").asLong() == 3);

    publish(nodeB, "plug-moving", token, power(t0.plusSeconds(180), 100));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms("plug-moving").get(0).get("status").asText().equals("cleared"));

    assertThat(alarms("plug-moving")).hasSize(1);
    assertThat(
            count(
                "SELECT count(*) FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id"
                    + " WHERE a.device_id = ? AND e.type = 'raised'",
                "plug-moving"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM commands WHERE device_id = ?", "plug-moving"))
        .as("one remedy, sent by node A; node B adopted the alarm and its remedy")
        .isEqualTo(1);
    assertThat(alarms("plug-moving").get(0).get("clearedAt").asText())
        .isEqualTo(t0.plusSeconds(180).toString());
  }

  @Test
  void aWindowBegunOnOneNodeIsCompletedOnTheOther() throws Exception {
    startTwoNodes();
    String token = nodeA.api().provisionDevice("hub-leaking", "hub");
    Instant t0 = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);

    // memory_exhaustion: free memory below 10 % for 5 minutes. It begins on node A...
    publish(nodeA, "hub-leaking", token, memory(t0, 5));
    publish(nodeA, "hub-leaking", token, memory(t0.plusSeconds(120), 5));
    // ...and the 5 minutes are up on node B, which rebuilt the window from the database.
    publish(nodeB, "hub-leaking", token, memory(t0.plusSeconds(360), 5));

    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> alarms("hub-leaking").findValuesAsText("ruleId").contains("memory_exhaustion"));
    assertThat(alarms("hub-leaking")).hasSize(1);
    assertThat(alarms("hub-leaking").get(0).get("raisedAt").asText())
        .isEqualTo(t0.plusSeconds(360).toString());
  }

  @Test
  void aSilentDeviceGoesOfflineOnceWithTwoNodes() throws Exception {
    startTwoNodes();
    // Provisioned an hour ago, never heard from since: device_offline is 15 minutes of silence.
    nodeA.execute(
        "INSERT INTO devices (id, type, token_salt, token_hash, created_at, last_seen_at)"
            + " VALUES ('hub-silent', 'hub', '\\x00', '\\x00', now() - interval '1h',"
            + " now() - interval '1h')");

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarms("hub-silent").findValuesAsText("ruleId").contains("device_offline"));
    // Both nodes have checked again since.
    bothNodesCaughtUp(Instant.now(), "marker-silent");

    assertThat(alarms("hub-silent")).hasSize(1);
    assertThat(
            count(
                "SELECT count(*) FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id"
                    + " WHERE a.device_id = 'hub-silent' AND e.type = 'raised'"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ticket_requests"))
        .as("one ticket asked for")
        .isEqualTo(1);
  }

  @Test
  void theSameFaultReachingBothNodesAtOnceRaisesOneAlarm() throws Exception {
    startTwoNodes();
    int plugs = 5;
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < plugs; i++) {
      tokens.add(nodeA.api().provisionDevice("plug-both-" + i, "smart_plug"));
    }
    Instant ts = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);

    // Each plug's overload reaches both nodes at the same moment, as CoAP retransmissions through
    // a load balancer may: both store it (once) and both evaluate it.
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (TestPlatform node : List.of(nodeA, nodeB)) {
      sends.add(
          CompletableFuture.runAsync(
              () -> {
                try (CoapDevice coap = CoapDevice.plain(node.coapUri())) {
                  go.await();
                  for (int i = 0; i < plugs; i++) {
                    coap.postJson(
                        "/devices/plug-both-" + i + "/telemetry?token=" + tokens.get(i),
                        power(ts, 3000));
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    go.countDown();
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> count("SELECT count(*) FROM alarms WHERE device_id LIKE 'plug-both-%'") == plugs);
    // Both nodes have evaluated both copies by now.
    bothNodesCaughtUp(Instant.now(), "marker-both");
    assertThat(count("SELECT count(*) FROM alarms WHERE device_id LIKE 'plug-both-%'"))
        .isEqualTo(plugs);
    assertThat(count("SELECT count(*) FROM commands WHERE device_id LIKE 'plug-both-%'"))
        .as("one remedy per plug")
        .isEqualTo(plugs);
  }
}
