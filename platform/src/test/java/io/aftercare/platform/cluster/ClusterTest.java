package io.aftercare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.MqttCallbackAdapter;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestCluster;
import io.aftercare.platform.testing.TestPlatform;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real nodes (separate Vert.x instances and ports, one Hazelcast cluster on loopback, one
 * database) used over real sockets as one platform: commands reach a device wherever it is
 * connected, its result is visible everywhere, a device's reconnect to another node ends its stale
 * session, and a rules reload on one node reaches the others.
 */
class ClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SESSION_TAKEN_OVER = 0x8E;

  private static Path rulesDir;
  private static TestCluster cluster;
  private static TestPlatform nodeA;
  private static TestPlatform nodeB;
  private static TestPlatform nodeC;

  @BeforeAll
  static void start() throws Exception {
    rulesDir = Files.createTempDirectory("aftercare-cluster-rules");
    cluster = TestCluster.start(3, Map.of("diagnostics.rulesDir", rulesDir.toString()));
    nodeA = cluster.node(0);
    nodeB = cluster.node(1);
    nodeC = cluster.node(2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aDeviceOnNodeAReceivesACommandSubmittedOnNodeBWhoseResultNodeCShows() throws Exception {
    String token = nodeA.api().provisionDevice("cl-thermo-1", "thermostat");
    MqttAsyncClient device = PahoDevices.v5(nodeA.mqttUri(), "cl-thermo-1", token);
    BlockingQueue<JsonNode> commands = subscribeToCommands(device, "cl-thermo-1");

    String commandId = submitReboot(nodeB.api(), "cl-thermo-1");

    JsonNode delivered = commands.poll(20, TimeUnit.SECONDS);
    assertThat(delivered).as("command delivered on node A").isNotNull();
    assertThat(delivered.get("commandId").asText()).isEqualTo(commandId);
    device
        .publish(
            "devices/cl-thermo-1/commands/result",
            new MqttMessage(
                ("{\"commandId\":\""
                        + commandId
                        + "\",\"status\":\"succeeded\",\"output\":{\"uptime_s\":3}}")
                    .getBytes(StandardCharsets.UTF_8),
                1,
                false,
                null))
        .waitForCompletion(10_000);
    JsonNode onC = nodeC.api().get("/api/v1/commands/" + commandId).body();
    assertThat(onC.get("status").asText()).isEqualTo("succeeded");
    assertThat(onC.get("output").get("uptime_s").asInt()).isEqualTo(3);
    device.disconnect().waitForCompletion(10_000);
  }

  @Test
  void aCommandForADeviceConnectedNowhereWaitsAndArrivesOnTheNodeItConnectsTo() throws Exception {
    String token = nodeA.api().provisionDevice("cl-plug-1", "smart_plug");
    String commandId = submitReboot(nodeA.api(), "cl-plug-1");
    assertThat(nodeB.api().get("/api/v1/commands/" + commandId).body().get("status").asText())
        .isEqualTo("queued");

    MqttAsyncClient device = PahoDevices.v5(nodeC.mqttUri(), "cl-plug-1", token);
    BlockingQueue<JsonNode> commands = subscribeToCommands(device, "cl-plug-1");

    JsonNode delivered = commands.poll(20, TimeUnit.SECONDS);
    assertThat(delivered).as("command delivered on node C").isNotNull();
    assertThat(delivered.get("commandId").asText()).isEqualTo(commandId);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                nodeA
                    .api()
                    .get("/api/v1/commands/" + commandId)
                    .body()
                    .get("status")
                    .asText()
                    .equals("sent"));
    device.disconnect().waitForCompletion(10_000);
  }

  @Test
  void aDeviceReconnectingToNodeBHasItsStaleSessionOnNodeAClosed() throws Exception {
    String token = nodeA.api().provisionDevice("cl-hub-1", "hub");
    MqttAsyncClient onA = PahoDevices.v5(nodeA.mqttUri(), "cl-hub-1", token);
    List<Integer> reasonsOnA = new CopyOnWriteArrayList<>();
    onA.setCallback(
        new MqttCallbackAdapter() {
          @Override
          public void disconnected(MqttDisconnectResponse response) {
            reasonsOnA.add(response.getReturnCode());
          }
        });

    MqttAsyncClient onB = PahoDevices.v5(nodeB.mqttUri(), "cl-hub-1", token);

    await().atMost(Duration.ofSeconds(20)).until(() -> !reasonsOnA.isEmpty());
    assertThat(reasonsOnA).containsExactly(SESSION_TAKEN_OVER);
    assertThat(onB.isConnected()).isTrue();
    // The command goes to the session on B; node A no longer holds the device.
    BlockingQueue<JsonNode> commands = subscribeToCommands(onB, "cl-hub-1");
    String commandId = submitReboot(nodeC.api(), "cl-hub-1");
    JsonNode delivered = commands.poll(20, TimeUnit.SECONDS);
    assertThat(delivered).as("command delivered on node B").isNotNull();
    assertThat(delivered.get("commandId").asText()).isEqualTo(commandId);
    // The stale session's close on A did not record the device offline under its session on B.
    assertThat(nodeC.api().get("/api/v1/devices/cl-hub-1").body().get("online").asBoolean())
        .isTrue();
    onB.disconnect().waitForCompletion(10_000);
  }

  @Test
  void anAnnouncementOfAnOlderConnectionElsewhereLeavesTheNewerOneHereOpen() throws Exception {
    String token = nodeA.api().provisionDevice("cl-cam-1", "camera");
    MqttAsyncClient onA = PahoDevices.v5(nodeA.mqttUri(), "cl-cam-1", token);
    List<Integer> reasonsOnA = new CopyOnWriteArrayList<>();
    BlockingQueue<JsonNode> commands = subscribeToCommands(onA, "cl-cam-1");
    // A fourth member speaking for a node "node-x", as its MQTT channel would.
    Vertx probe =
        ClusterVertx.start(
                new AftercareConfig.Cluster(
                    AftercareConfig.Cluster.Mode.HAZELCAST,
                    "node-x",
                    "127.0.0.1",
                    TestCluster.freePorts(1).get(0),
                    0,
                    cluster.members(),
                    Duration.ofSeconds(15)),
                new NodeIdentity("node-x"))
            .await(60, TimeUnit.SECONDS);
    try {
      // Its clock says the device connected there a minute before it connected to A.
      probe.eventBus().publish("aftercare.mqtt.connected", announcement("cl-cam-1", -60));
      String commandId = submitReboot(nodeB.api(), "cl-cam-1");
      JsonNode delivered = commands.poll(20, TimeUnit.SECONDS);
      assertThat(delivered).as("command delivered on node A, still connected").isNotNull();
      assertThat(delivered.get("commandId").asText()).isEqualTo(commandId);

      onA.setCallback(
          new MqttCallbackAdapter() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
              reasonsOnA.add(response.getReturnCode());
            }
          });
      probe.eventBus().publish("aftercare.mqtt.connected", announcement("cl-cam-1", 60));
      await().atMost(Duration.ofSeconds(20)).until(() -> !reasonsOnA.isEmpty());
      assertThat(reasonsOnA).containsExactly(SESSION_TAKEN_OVER);
    } finally {
      probe.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** What node-x's MQTT channel says of a connection accepted {@code seconds} from now. */
  private static JsonObject announcement(String deviceId, long seconds) {
    return new JsonObject()
        .put("device", deviceId)
        .put("node", "node-x")
        .put("connectedAt", Instant.now().plusSeconds(seconds));
  }

  @Test
  void aCoapDeviceObservingOnNodeAIsNotifiedOfACommandSubmittedOnNodeB() throws Exception {
    String token = nodeA.api().provisionDevice("cl-lock-1", "door_lock");
    try (CoapDevice device = CoapDevice.plain(nodeA.coapUri())) {
      CoapClient client = device.client("/devices/cl-lock-1/commands?token=" + token);
      BlockingQueue<String> notifications = new LinkedBlockingQueue<>();
      CoapObserveRelation relation =
          client.observeAndWait(
              new CoapHandler() {
                @Override
                public void onLoad(CoapResponse response) {
                  notifications.add(response.getResponseText());
                }

                @Override
                public void onError() {
                  // The assertions read what was received.
                }
              });
      assertThat(notifications.poll(10, TimeUnit.SECONDS)).isEqualTo("[]");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> nodeA.platform().coapCommands().isObserved("cl-lock-1"));

      String commandId = submitReboot(nodeB.api(), "cl-lock-1");

      String notified = notifications.poll(20, TimeUnit.SECONDS);
      assertThat(notified).as("notification from node A").isNotNull();
      JsonNode delivered = JSON.readTree(notified);
      assertThat(delivered).hasSize(1);
      assertThat(delivered.get(0).get("commandId").asText()).isEqualTo(commandId);
      relation.proactiveCancel();
    }
  }

  /**
   * A generous bound for a reload to reach every node: each re-reads and compiles its rule folder
   * on a worker thread, which a loaded 2-core machine running the whole suite delays by seconds.
   */
  private static final Duration RELOAD_REACHES_ALL = Duration.ofSeconds(60);

  @Test
  void aRulesReloadOnOneNodeReachesTheOthers() throws Exception {
    Files.writeString(
        rulesDir.resolve("cluster.yaml"),
        "rules:\n  - id: cluster_hub_hot\n    kind: threshold\n    device_types: [hub]\n    metric: cpu_temp_c\n    levels:\n      - {severity: major, when: \"value > 90\"}\n    clear: \"value < 80\"\n    category: device_fault\n    open_ticket: false\n");
    try {
      assertThat(nodeB.api().post("/api/v1/rules/reload", "{}").status()).isEqualTo(200);

      for (TestPlatform node : List.of(nodeA, nodeB, nodeC)) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> ruleIds(node).contains("cluster_hub_hot"));
      }
      // Audited once, by the node where staff asked.
      assertThat(nodeA.count("SELECT count(*) FROM audit_log WHERE action = 'rules.reload'"))
          .isEqualTo(1);
    } finally {
      Files.delete(rulesDir.resolve("cluster.yaml"));
      assertThat(nodeB.api().post("/api/v1/rules/reload", "{}").status()).isEqualTo(200);
    }
    for (TestPlatform node : List.of(nodeA, nodeC)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !ruleIds(node).contains("cluster_hub_hot"));
    }
  }

  private static List<String> ruleIds(TestPlatform node) {
    return node.api().get("/api/v1/rules").body().get("rules").findValuesAsText("id");
  }

  private static String submitReboot(ApiClient api, String deviceId) {
    ApiClient.Response submitted =
        api.post(
            "/api/v1/devices/" + deviceId + "/commands",
            Map.of("name", "reboot", "params", Map.of()));
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
    return submitted.body().get("commandId").asText();
  }

  private static BlockingQueue<JsonNode> subscribeToCommands(MqttAsyncClient device, String id)
      throws Exception {
    BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    device.setCallback(
        new MqttCallbackAdapter() {
          @Override
          public void messageArrived(String topic, MqttMessage message) throws Exception {
            received.add(JSON.readTree(message.getPayload()));
          }
        });
    device
        .subscribe(new MqttSubscription("devices/" + id + "/commands", 1))
        .waitForCompletion(10_000);
    return received;
  }
}
