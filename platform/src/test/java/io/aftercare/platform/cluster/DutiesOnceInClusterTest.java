package io.aftercare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.testsupport.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes in this JVM on one database, both running the service desk's jobs every 100 ms on the
 * same clock: the SLA check and the archive step each case once, an offline change from a node that
 * no longer holds a device's session does not show the device offline, and a node whose row another
 * took for dead registers again.
 */
class DutiesOnceInClusterTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-23T10:30:00Z"));
  private static final TestDatabases.TestDatabase DATABASE = TestDatabases.fresh();
  private static TestPlatform a;
  private static TestPlatform b;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = Files.createTempDirectory("aftercare-two-nodes");
    String adminToken = "two-nodes-admin-" + System.nanoTime();
    a = TestPlatform.node(DATABASE, dataDir, settings("node-a", adminToken), CLOCK);
    b = TestPlatform.node(DATABASE, dataDir, settings("node-b", adminToken), CLOCK);
  }

  private static Map<String, String> settings(String nodeId, String adminToken) {
    return Map.of(
        "cluster.nodeId", nodeId,
        "security.adminToken", adminToken,
        "tickets.pollInterval", "100ms",
        "tickets.escalationInterval", "100ms",
        "tickets.retention.interval", "100ms");
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void slaStepsAndTheArchiveHappenOnceEach() {
    assertThat(a.count("SELECT count(*) FROM cluster_leases WHERE holder = 'node-a'"))
        .as("the first node holds every duty")
        .isEqualTo(a.count("SELECT count(*) FROM cluster_leases"));
    a.api().provisionFridge("fridge-twice", "C-twice", "standard");
    long id =
        a.processedTicketRequest(
            SampleRequests.open(DATABASE, SampleRequests.fault("fridge-twice", "temp")));

    CLOCK.advance(Duration.ofDays(3));
    await().atMost(DEADLINE).until(() -> steps(id, "escalation") >= 1);
    b.api().moveTicket(id, Map.of("to", "cancelled", "note", "duplicate"));
    CLOCK.advance(Duration.ofDays(91));
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                a.count("SELECT count(*) FROM tickets WHERE id = ? AND status = 'archived'", id)
                    == 1);

    // Hundreds of rounds ran meanwhile; each clock's warning and breach is recorded once.
    assertThat(
            a.count(
                "SELECT count(*) FROM (SELECT kind, detail ->> 'clock' FROM ticket_timeline"
                    + " WHERE ticket_id = ? AND kind IN ('sla_warning', 'sla_breach')"
                    + " GROUP BY 1, 2 HAVING count(*) > 1) AS repeated",
                id))
        .isZero();
    assertThat(steps(id, "escalation")).isEqualTo(steps(id, "sla_breach"));
    assertThat(steps(id, "archived")).isEqualTo(1);
    assertThat(
            a.count(
                "SELECT count(*) FROM ticket_outbox WHERE ticket_id = ? AND type = 'ticket.archived'",
                id))
        .isEqualTo(1);
  }

  private static long steps(long ticketId, String kind) {
    return a.count(
        "SELECT count(*) FROM ticket_timeline WHERE ticket_id = ? AND kind = ?", ticketId, kind);
  }

  @Test
  void aSessionEndingOnANodeThatNoLongerHoldsItLeavesTheDeviceOnline() throws Exception {
    String token = a.api().provisionDevice("hub-moving", "hub");
    MqttAsyncClient toA = PahoDevices.v5(a.mqttUri(), "hub-moving", token);
    awaitHeldBy("node-a");
    // The device reconnects through node B before node A notices its old connection is gone.
    MqttAsyncClient toB = PahoDevices.v5(b.mqttUri(), "hub-moving", token);
    awaitHeldBy("node-b");

    toA.disconnectForcibly(0, 0, false);
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                a.count(
                        "SELECT count(*) FROM device_connectivity WHERE device_id = 'hub-moving'"
                            + " AND NOT online")
                    >= 1);

    assertThat(
            a.count(
                "SELECT count(*) FROM devices WHERE id = 'hub-moving' AND online"
                    + " AND online_node = 'node-b'"))
        .isEqualTo(1);
    assertThat(a.api().get("/api/v1/devices/hub-moving").body().get("online").asBoolean()).isTrue();
    toA.close(true);
    toB.disconnect().waitForCompletion();
    toB.close();
  }

  @Test
  void aNodeTakenForDeadWhileAliveRegistersAgain() {
    assertThat(a.execute("DELETE FROM platform_nodes WHERE node_id = 'node-b'")).isEqualTo(1);

    await()
        .atMost(DEADLINE)
        .until(() -> a.count("SELECT count(*) FROM platform_nodes WHERE node_id = 'node-b'") == 1);
  }

  private static void awaitHeldBy(String nodeId) {
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                a.count(
                        "SELECT count(*) FROM devices WHERE id = 'hub-moving' AND online"
                            + " AND online_node = ?",
                        nodeId)
                    == 1);
  }
}
