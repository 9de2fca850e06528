package io.aftercare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.PlatformProcess;
import io.aftercare.platform.testing.TestCluster;
import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.testsupport.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 19's rolling restart: devices spread over two nodes send numbered documents without pause
 * while node B, a process of its own, goes down (a clean stop, or SIGKILL) and starts again. Node
 * A, in this JVM, stays up; both run {@code cluster.mode: hazelcast} on one database. B's devices
 * reconnect to A while B is down (the test's load balancer names A) and, for CoAP, return to B once
 * it is back. Every document acknowledged by either node is stored exactly once.
 */
class RollingRestartTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String NODE_TIMEOUT = "3s";

  private final TestDatabases.TestDatabase database = TestDatabases.fresh();
  private final String adminToken = "rolling-admin-" + System.nanoTime();
  private Path dataDir;
  private TestPlatform a;
  private PlatformProcess b;

  @BeforeEach
  void folder() throws Exception {
    dataDir = Files.createTempDirectory("aftercare-rolling");
  }

  @AfterEach
  void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  /** How node B goes down. */
  enum Stop {
    /** SIGTERM, after the load balancer drained B: a rolling deployment. */
    CLEAN,
    /** SIGKILL, with B's devices' documents in flight: a crash. */
    KILL
  }

  @ParameterizedTest
  @EnumSource(Stop.class)
  void telemetryOfDevicesSpreadOverTwoNodesIsStoredOnceWhileOneRestarts(Stop stop)
      throws Exception {
    List<Integer> ports = TestCluster.freePorts(2);
    List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
    a = nodeA(ports.get(0), members);
    b = nodeB(ports.get(1), members);
    ApiClient api = a.api();

    // The load balancer: A's devices always reach A; B's reach B while it is up, else A.
    AtomicReference<String> bMqtt = new AtomicReference<>(b.mqttUri());
    AtomicReference<String> bCoap = new AtomicReference<>(b.coapUri());
    LedgeredFleet fleet = new LedgeredFleet();
    fleet.mqtt("rolling-a-mqtt", api.provisionDevice("rolling-a-mqtt", "hub"), a::mqttUri);
    fleet.coap("rolling-a-coap", api.provisionDevice("rolling-a-coap", "hub"), a::coapUri);
    for (String id : List.of("rolling-b-mqtt-1", "rolling-b-mqtt-2")) {
      fleet.mqtt(id, api.provisionDevice(id, "hub"), bMqtt::get);
    }
    fleet.coap("rolling-b-coap", api.provisionDevice("rolling-b-coap", "hub"), bCoap::get);
    awaitHeldBy("node-a", "rolling-a-mqtt");
    awaitHeldBy("node-b", "rolling-b-mqtt-1", "rolling-b-mqtt-2");
    fleet.awaitAcknowledgements(10, DEADLINE);

    if (stop == Stop.CLEAN) {
      bMqtt.set(a.mqttUri());
      bCoap.set(a.coapUri());
      fleet.awaitAcknowledgements(5, DEADLINE);
      b.stop();
    } else {
      b.kill();
      bMqtt.set(a.mqttUri());
      bCoap.set(a.coapUri());
    }
    fleet.awaitAcknowledgements(10, DEADLINE);
    awaitHeldBy("node-a", "rolling-b-mqtt-1", "rolling-b-mqtt-2");

    b = nodeB(ports.get(1), members);
    bMqtt.set(b.mqttUri());
    bCoap.set(b.coapUri());
    // The CoAP device is back on B at its next request; the MQTT devices stay on A until their
    // connection ends, and a device connecting now comes to B.
    fleet.mqtt("rolling-b-mqtt-3", api.provisionDevice("rolling-b-mqtt-3", "hub"), bMqtt::get);
    awaitHeldBy("node-b", "rolling-b-mqtt-3");
    fleet.awaitAcknowledgements(10, DEADLINE);
    // B's start ended only the sessions it held: none, its devices had moved to A.
    assertThat(
            a.count(
                "SELECT count(*) FROM devices WHERE id IN ('rolling-a-mqtt', 'rolling-b-mqtt-1',"
                    + " 'rolling-b-mqtt-2') AND online AND online_node = 'node-a'"))
        .isEqualTo(3);
    assertThat(a.count("SELECT count(*) FROM device_connectivity WHERE reason = 'gateway_restart'"))
        .isZero();

    fleet.stopAndCheck("node B " + stop + " and restarted", database);
  }

  private TestPlatform nodeA(int port, List<String> members) {
    Map<String, String> settings = new HashMap<>();
    settings.put("cluster.mode", "hazelcast");
    settings.put("cluster.nodeId", "node-a");
    settings.put("cluster.host", "127.0.0.1");
    settings.put("cluster.port", String.valueOf(port));
    settings.put("cluster.members", String.join(",", members));
    settings.put("cluster.nodeTimeout", NODE_TIMEOUT);
    settings.put("security.adminToken", adminToken);
    return TestPlatform.node(database, dataDir, settings, Clock.systemUTC());
  }

  /** Node B under its one name and Hazelcast port, as a restarted node comes back. */
  private PlatformProcess nodeB(int port, List<String> members) {
    return PlatformProcess.start(
        database,
        dataDir,
        adminToken,
        List.of(
            "cluster: {mode: hazelcast, nodeId: node-b, host: 127.0.0.1, port: "
                + port
                + ", members: ["
                + String.join(", ", members)
                + "], nodeTimeout: "
                + NODE_TIMEOUT
                + "}"));
  }

  private void awaitHeldBy(String nodeId, String... deviceIds) {
    for (String deviceId : deviceIds) {
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  a.count(
                          "SELECT count(*) FROM devices WHERE id = ? AND online"
                              + " AND online_node = ?",
                          deviceId,
                          nodeId)
                      == 1);
    }
  }
}
