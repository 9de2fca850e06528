package io.aftercare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.PlatformProcess;
import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.testsupport.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one database: node A a process of its own, killed with SIGKILL, node B in this JVM.
 * A node restarted after its crash ends only the sessions it held; a node that stays dead has its
 * sessions ended by the survivor once its heartbeat is older than {@code cluster.nodeTimeout}, and
 * its cluster-wide duties move to the survivor.
 */
class NodeSessionsTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final TestDatabases.TestDatabase database = TestDatabases.fresh();
  private final String adminToken = "nodes-admin-" + System.nanoTime();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private Path dataDir;

  @BeforeEach
  void folder() throws Exception {
    dataDir = Files.createTempDirectory("aftercare-nodes");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable node : started) {
      node.close();
    }
  }

  @Test
  void aNodeRestartedAfterACrashEndsOnlyItsOwnSessions() throws Exception {
    // Node B would take A for dead after a minute: A is back long before.
    PlatformProcess a = nodeA("1m");
    TestPlatform b = nodeB("1m");
    MqttAsyncClient onA = connected(a.mqttUri(), b.api(), "hub-on-a");
    MqttAsyncClient onB = connected(b.mqttUri(), b.api(), "hub-on-b");
    awaitHeldBy(b, "hub-on-a", "node-a");
    awaitHeldBy(b, "hub-on-b", "node-b");

    a.kill();
    onA.disconnectForcibly(0, 0, false);
    Instant lastHeartbeat = heartbeatOf("node-a");
    Instant connectedAt = onlineChangedAt("hub-on-a");
    nodeA("1m");

    assertThat(online(b, "hub-on-a")).isFalse();
    assertThat(
            b.count(
                "SELECT count(*) FROM device_connectivity WHERE device_id = 'hub-on-a'"
                    + " AND NOT online AND reason = 'gateway_restart' AND ts = ?",
                Timestamp.from(latest(lastHeartbeat, connectedAt))))
        .as("ended once, when node A last showed it was alive")
        .isEqualTo(1);
    assertThat(online(b, "hub-on-b")).as("node B's device").isTrue();
    assertThat(b.count("SELECT count(*) FROM device_connectivity WHERE NOT online")).isEqualTo(1);
    onA.close(true);
    onB.disconnect().waitForCompletion();
    onB.close();
  }

  @Test
  void aSurvivorEndsADeadNodesSessionsOnceAndTakesOverItsDuties() throws Exception {
    PlatformProcess a = nodeA("2s");
    TestPlatform b = nodeB("2s");
    // A started first: it holds every cluster-wide duty, B none.
    assertThat(b.count("SELECT count(*) FROM cluster_leases WHERE holder = 'node-a'"))
        .isEqualTo(b.count("SELECT count(*) FROM cluster_leases"))
        .isGreaterThanOrEqualTo(5);
    MqttAsyncClient onA = connected(a.mqttUri(), b.api(), "fridge-on-a");
    MqttAsyncClient onB = connected(b.mqttUri(), b.api(), "fridge-on-b");
    awaitHeldBy(b, "fridge-on-a", "node-a");
    Instant connectedAt = onlineChangedAt("fridge-on-a");

    a.kill();
    Instant killedAt = Instant.now();
    onA.disconnectForcibly(0, 0, false);

    await().atMost(DEADLINE).until(() -> !online(b, "fridge-on-a"));
    Timestamp endedAt =
        timestamp(
            "SELECT ts FROM device_connectivity WHERE device_id = 'fridge-on-a'"
                + " AND NOT online AND reason = 'node_lost'");
    assertThat(endedAt.toInstant()).isBetween(connectedAt, killedAt);
    assertThat(b.count("SELECT count(*) FROM platform_nodes WHERE node_id = 'node-a'"))
        .as("node A forgotten with its sessions")
        .isZero();
    assertThat(online(b, "fridge-on-b")).isTrue();

    await()
        .atMost(DEADLINE)
        .until(() -> b.count("SELECT count(*) FROM cluster_leases WHERE holder <> 'node-b'") == 0);
    assertThat(b.count("SELECT count(*) FROM cluster_leases")).isGreaterThanOrEqualTo(5);
    assertThat(
            b.count(
                "SELECT count(*) FROM device_connectivity WHERE device_id = 'fridge-on-a'"
                    + " AND NOT online"))
        .as("ended exactly once")
        .isEqualTo(1);
    onA.close(true);
    onB.disconnect().waitForCompletion();
    onB.close();
  }

  private PlatformProcess nodeA(String nodeTimeout) {
    PlatformProcess node =
        PlatformProcess.start(
            database,
            dataDir,
            adminToken,
            List.of("cluster: {nodeId: node-a, nodeTimeout: " + nodeTimeout + "}"));
    started.push(node);
    return node;
  }

  private TestPlatform nodeB(String nodeTimeout) {
    TestPlatform node =
        TestPlatform.node(
            database,
            dataDir,
            Map.of(
                "cluster.nodeId", "node-b",
                "cluster.nodeTimeout", nodeTimeout,
                "security.adminToken", adminToken),
            Clock.systemUTC());
    started.push(node);
    return node;
  }

  /** A hub provisioned through {@code api}, connected over MQTT 5 to {@code mqttUri}. */
  private static MqttAsyncClient connected(String mqttUri, ApiClient api, String id)
      throws Exception {
    String token = api.provisionDevice(id, "hub");
    MqttAsyncClient device = PahoDevices.v5(mqttUri, id, token);
    await().atMost(DEADLINE).until(() -> online(api, id));
    return device;
  }

  private static boolean online(TestPlatform node, String id) {
    return online(node.api(), id);
  }

  private static boolean online(ApiClient api, String id) {
    return api.get("/api/v1/devices/" + id).body().get("online").asBoolean();
  }

  private void awaitHeldBy(TestPlatform node, String deviceId, String nodeId) {
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

  private Instant heartbeatOf(String nodeId) {
    return timestamp("SELECT heartbeat_at FROM platform_nodes WHERE node_id = '" + nodeId + "'")
        .toInstant();
  }

  private Instant onlineChangedAt(String deviceId) {
    return timestamp("SELECT online_changed_at FROM devices WHERE id = '" + deviceId + "'")
        .toInstant();
  }

  private static Instant latest(Instant one, Instant other) {
    return one.isAfter(other) ? one : other;
  }

  private Timestamp timestamp(String sql) {
    try (Connection c = database.connect();
        PreparedStatement select = c.prepareStatement(sql);
        ResultSet rs = select.executeQuery()) {
      assertThat(rs.next()).as(sql).isTrue();
      Timestamp value = rs.getTimestamp(1);
      assertThat(rs.next()).as("one row: " + sql).isFalse();
      return value;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
