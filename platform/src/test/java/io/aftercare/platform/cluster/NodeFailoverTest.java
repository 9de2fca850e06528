package io.aftercare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.MqttCallbackAdapter;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.PlatformProcess;
import io.aftercare.platform.testing.TestCluster;
import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.testsupport.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's failover: node A, a process of its own, is killed with SIGKILL while devices send to
 * it; node B, in this JVM, survives. Both run {@code cluster.mode: hazelcast} with each other as
 * members, on one database. The devices reconnect to B (the test's load balancer names B once A is
 * gone) and nothing acknowledged is lost or stored twice, their queued commands arrive, an alarm
 * raised on A stays one alarm with one remedy that B goes on with and clears, and B ends A's
 * sessions and takes its cluster-wide duties.
 */
class NodeFailoverTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  /** Small, so that the duties move within 4 s and A's sessions end within 5 s of the kill. */
  private static final String NODE_TIMEOUT = "3s";

  private final TestDatabases.TestDatabase database = TestDatabases.fresh();
  private final String adminToken = "failover-admin-" + System.nanoTime();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private Path dataDir;

  @BeforeEach
  void folder() throws Exception {
    dataDir = Files.createTempDirectory("aftercare-failover");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : started) {
      closeable.close();
    }
  }

  @Test
  void aKilledNodesDevicesMoveToTheSurvivorAndNothingIsLostOrRepeated() throws Exception {
    List<Integer> ports = TestCluster.freePorts(2);
    List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
    PlatformProcess a = nodeA(ports.get(0), members);
    TestPlatform b = nodeB(ports.get(1), members);
    ApiClient api = b.api();
    assertThat(b.count("SELECT count(*) FROM cluster_leases WHERE holder = 'node-a'"))
        .as("node A started first: it holds every cluster-wide duty")
        .isEqualTo(b.count("SELECT count(*) FROM cluster_leases"))
        .isGreaterThanOrEqualTo(5);

    // A hub on A: a command submitted through B reaches it over the clustered event bus, so the
    // two processes are one cluster. Unsubscribed, its next command waits queued.
    String hubToken = api.provisionDevice("hub-commands", "hub");
    MqttAsyncClient hubOnA = PahoDevices.v5(a.mqttUri(), "hub-commands", hubToken);
    BlockingQueue<String> commandsOnA = subscribeToCommands(hubOnA, "hub-commands");
    String throughB = submitReboot(api, "hub-commands");
    assertThat(commandsOnA.poll(20, TimeUnit.SECONDS)).isEqualTo(throughB);
    awaitStatus(api, throughB, "sent");
    hubOnA.unsubscribe("devices/hub-commands/commands").waitForCompletion(10_000);
    String queuedBeforeKill = submitReboot(api, "hub-commands");

    // A smart plug overloaded on A: one alarm, one remedy (it does not subscribe: it stays queued).
    String plugToken = api.provisionDevice("plug-overload", "smart_plug");
    Instant t0 = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
    MqttClient plugOnA = PahoDevices.v3(a.mqttUri(), "plug-overload", plugToken);
    publishPower(plugOnA, t0, 3000);
    await().atMost(DEADLINE).until(() -> alarms(api, "plug-overload").size() == 1);
    await().atMost(DEADLINE).until(() -> remedies(b, "plug-overload") == 1);

    // A hub that never comes back: only B's sweep can end its session.
    String awayToken = api.provisionDevice("hub-away", "hub");
    MqttAsyncClient awayOnA = PahoDevices.v5(a.mqttUri(), "hub-away", awayToken);

    // Numbered load through the load balancer, which names A until it is gone.
    AtomicReference<String> mqttTarget = new AtomicReference<>(a.mqttUri());
    AtomicReference<String> coapTarget = new AtomicReference<>(a.coapUri());
    LedgeredFleet fleet = new LedgeredFleet();
    for (String id : List.of("failover-mqtt-1", "failover-mqtt-2")) {
      fleet.mqtt(id, api.provisionDevice(id, "hub"), mqttTarget::get);
    }
    fleet.coap("failover-coap", api.provisionDevice("failover-coap", "hub"), coapTarget::get);
    for (String id :
        List.of(
            "hub-commands", "plug-overload", "hub-away", "failover-mqtt-1", "failover-mqtt-2")) {
      awaitHeldBy(b, id, "node-a");
    }
    fleet.awaitAcknowledgements(30, DEADLINE);
    assertThat(statusOf(api, queuedBeforeKill)).isEqualTo("queued");

    a.kill();
    mqttTarget.set(b.mqttUri());
    coapTarget.set(b.coapUri());
    // Their connections to A are dead: the clients learn it at once here, not at keep-alive.
    for (MqttAsyncClient client : List.of(hubOnA, awayOnA)) {
      client.disconnectForcibly(0, 0, false);
      client.close(true);
    }
    plugOnA.disconnectForcibly(0, 0, false);
    plugOnA.close(true);

    // (b) Commands: the one queued before the kill and one queued while A is dead both arrive
    // once the hub reconnects to B, oldest first.
    String queuedWhileDead = submitReboot(api, "hub-commands");
    assertThat(statusOf(api, queuedWhileDead)).isEqualTo("queued");
    MqttAsyncClient hubOnB = PahoDevices.v5(b.mqttUri(), "hub-commands", hubToken);
    BlockingQueue<String> commandsOnB = subscribeToCommands(hubOnB, "hub-commands");
    assertThat(commandsOnB.poll(20, TimeUnit.SECONDS)).isEqualTo(queuedBeforeKill);
    assertThat(commandsOnB.poll(20, TimeUnit.SECONDS)).isEqualTo(queuedWhileDead);
    awaitStatus(api, queuedBeforeKill, "sent");
    awaitStatus(api, queuedWhileDead, "sent");

    // (c) The alarm: the overload goes on through B, which updates A's alarm, raises nothing new,
    // sends no second remedy, and clears it when the load drops.
    MqttClient plugOnB = PahoDevices.v3(b.mqttUri(), "plug-overload", plugToken);
    publishPower(plugOnB, t0.plusSeconds(60), 3000);
    await()
        .atMost(DEADLINE)
        .until(() -> alarms(api, "plug-overload").get(0).get("count").asLong() == 2);
    JsonNode stillOpen = alarms(api, "plug-overload");
    assertThat(stillOpen).hasSize(1);
    assertThat(stillOpen.get(0).get("status").asText()).isEqualTo("active");
    assertThat(raised(b, "plug-overload")).isEqualTo(1);
    assertThat(remedies(b, "plug-overload")).isEqualTo(1);
    publishPower(plugOnB, t0.plusSeconds(120), 100);
    await()
        .atMost(DEADLINE)
        .until(() -> alarms(api, "plug-overload").get(0).get("status").asText().equals("cleared"));
    assertThat(alarms(api, "plug-overload")).hasSize(1);
    assertThat(raised(b, "plug-overload")).isEqualTo(1);
    assertThat(remedies(b, "plug-overload")).as("one remedy, sent by node A").isEqualTo(1);

    // (a) Telemetry: every document acknowledged by A or B is stored, once.
    fleet.awaitAcknowledgements(30, DEADLINE);
    fleet.stopAndCheck("node A SIGKILL", database);

    // (d) Duties: B ends A's sessions (the hub that stayed away with node_lost, once), forgets A,
    // and holds every lease; documented bound 4/3 and 5/3 of cluster.nodeTimeout.
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                b.count("SELECT count(*) FROM devices WHERE online_node = 'node-a'") == 0
                    && b.count("SELECT count(*) FROM platform_nodes WHERE node_id = 'node-a'") == 0
                    && b.count("SELECT count(*) FROM cluster_leases WHERE holder <> 'node-b'")
                        == 0);
    assertThat(b.count("SELECT count(*) FROM cluster_leases")).isGreaterThanOrEqualTo(5);
    assertThat(
            b.count(
                "SELECT count(*) FROM device_connectivity WHERE device_id = 'hub-away'"
                    + " AND NOT online AND reason = 'node_lost'"))
        .isEqualTo(1);
    assertThat(
            b.count(
                "SELECT count(*) FROM device_connectivity WHERE device_id = 'hub-away'"
                    + " AND NOT online"))
        .as("ended exactly once")
        .isEqualTo(1);
    for (String id : List.of("hub-commands", "plug-overload")) {
      assertThat(
              b.count("SELECT count(*) FROM devices WHERE id = ? AND online_node = 'node-b'", id))
          .as("%s held by node B", id)
          .isEqualTo(1);
    }

    hubOnB.disconnect().waitForCompletion(10_000);
    hubOnB.close();
    plugOnB.disconnect();
    plugOnB.close();
  }

  private PlatformProcess nodeA(int port, List<String> members) {
    PlatformProcess node =
        PlatformProcess.start(
            database,
            dataDir,
            adminToken,
            List.of(
                "diagnostics: {tickInterval: 200ms}",
                "commands: {requireOwnerConsent: false}",
                "cluster: {mode: hazelcast, nodeId: node-a, host: 127.0.0.1, port: "
                    + port
                    + ", members: ["
                    + String.join(", ", members)
                    + "], nodeTimeout: "
                    + NODE_TIMEOUT
                    + "}"));
    started.push(node);
    return node;
  }

  private TestPlatform nodeB(int port, List<String> members) {
    Map<String, String> settings = new HashMap<>();
    settings.put("cluster.mode", "hazelcast");
    settings.put("cluster.nodeId", "node-b");
    settings.put("cluster.host", "127.0.0.1");
    settings.put("cluster.port", String.valueOf(port));
    settings.put("cluster.members", String.join(",", members));
    settings.put("cluster.nodeTimeout", NODE_TIMEOUT);
    settings.put("diagnostics.tickInterval", "200ms");
    settings.put("security.adminToken", adminToken);
    TestPlatform node = TestPlatform.node(database, dataDir, settings, Clock.systemUTC());
    started.push(node);
    return node;
  }

  private static String submitReboot(ApiClient api, String deviceId) {
    ApiClient.Response submitted =
        api.post(
            "/api/v1/devices/" + deviceId + "/commands",
            Map.of("name", "reboot", "params", Map.of()));
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
    return submitted.body().get("commandId").asText();
  }

  private static String statusOf(ApiClient api, String commandId) {
    return api.get("/api/v1/commands/" + commandId).body().get("status").asText();
  }

  private static void awaitStatus(ApiClient api, String commandId, String status) {
    await().atMost(DEADLINE).until(() -> statusOf(api, commandId).equals(status));
  }

  /** Subscribes to the device's commands; the queue receives their ids as they arrive. */
  private static BlockingQueue<String> subscribeToCommands(MqttAsyncClient device, String id)
      throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    device.setCallback(
        new MqttCallbackAdapter() {
          @Override
          public void messageArrived(String topic, MqttMessage message) throws Exception {
            received.add(JSON.readTree(message.getPayload()).get("commandId").asText());
          }
        });
    device
        .subscribe(new MqttSubscription("devices/" + id + "/commands", 1))
        .waitForCompletion(10_000);
    return received;
  }

  /** QoS 1: returns once the node has stored the reading. */
  private static void publishPower(MqttClient plug, Instant ts, double watts) throws Exception {
    String json = "{\"ts\":\"" + ts + "\",\"metrics\":{\"power_w\":" + watts + ",\"relay_on\":1}}";
    plug.publish(
        "devices/" + plug.getClientId() + "/telemetry",
        json.getBytes(StandardCharsets.UTF_8),
        1,
        false);
  }

  private static JsonNode alarms(ApiClient api, String deviceId) {
    return api.get("/api/v1/alarms?deviceId=" + deviceId).body().get("alarms");
  }

  private static long raised(TestPlatform node, String deviceId) {
    return node.count(
        "SELECT count(*) FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id"
            + " WHERE a.device_id = ? AND e.type = 'raised'",
        deviceId);
  }

  private static long remedies(TestPlatform node, String deviceId) {
    return node.count("SELECT count(*) FROM commands WHERE device_id = ?", deviceId);
  }

  private static void awaitHeldBy(TestPlatform node, String deviceId, String nodeId) {
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                node.count(
                        "SELECT count(*) FROM devices WHERE id = ? AND online AND online_node = ?",
                        deviceId,
                        nodeId)
                    == 1);
  }
}
