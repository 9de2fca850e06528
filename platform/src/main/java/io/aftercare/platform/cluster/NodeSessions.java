package io.aftercare.platform.cluster;

import io.aftercare.bridge.lease.DutyLeases;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.DeviceConnectivity;
import io.aftercare.platform.device.DeviceConnectivity.EndedSession;
import io.aftercare.platform.device.PlatformHeartbeat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's place in {@code platform_nodes}, and the device sessions of nodes that are gone. At
 * start the node ends the sessions its own previous run left open ({@link #rejoin}); then it renews
 * its heartbeat three times per time-out and, on the node holding the sweep's lease, ends the
 * sessions of every node whose heartbeat is older than the time-out, at that heartbeat, and removes
 * the node. A node that stops cleanly records its devices offline itself and leaves its row to the
 * sweep.
 *
 * <p>Nodes judge each other only once their own heartbeat has been renewed without a gap for a
 * whole time-out: after a database outage every node's heartbeat is old, and a sweep must wait
 * until the living have renewed theirs.
 */
public final class NodeSessions implements AutoCloseable {

  /** The lease of the sweep: one node ends the sessions of dead ones. */
  public static final String SWEEP_DUTY = "dead node sessions";

  private static final Logger LOG = LoggerFactory.getLogger(NodeSessions.class);

  private final Vertx vertx;
  private final Jdbc jdbc;
  private final DeviceConnectivity connectivity;
  private final ClusterNodes nodes;
  private final String protocol;
  private final Duration timeout;
  private DutyLeases.Lease sweep;
  private long timer = -1;
  private volatile boolean running;

  /** {@link System#nanoTime} since when the heartbeat has been renewed without a gap, or null. */
  private volatile Long beatingSince;

  /**
   * @param protocol the connection-holding channel whose sessions belong to a node (MQTT)
   * @param timeout {@code cluster.nodeTimeout}: a heartbeat older than this is a dead node's
   */
  public NodeSessions(
      Vertx vertx,
      Jdbc jdbc,
      DeviceConnectivity connectivity,
      String node,
      String protocol,
      Duration timeout) {
    this.vertx = vertx;
    this.jdbc = jdbc;
    this.connectivity = connectivity;
    this.nodes = new ClusterNodes(node, timeout);
    this.protocol = protocol;
    this.timeout = timeout;
  }

  /**
   * Registers this node and records offline ({@code gateway_restart}) the sessions its previous run
   * left open, which ended at its last heartbeat; also those recorded before sessions named their
   * node. Call it at start, before devices connect. Completes with the sessions it ended.
   */
  public Future<List<EndedSession>> rejoin(Instant now) {
    return jdbc.transaction(
            c -> {
              Optional<Instant> lastHeartbeat = nodes.rejoin(c);
              Instant endedAt = lastHeartbeat.isPresent() ? lastHeartbeat.get() : legacyEnd(c, now);
              return DeviceConnectivity.endSessionsHeldBy(
                  c, nodes.node(), true, protocol, endedAt, DeviceConnectivity.GATEWAY_RESTART);
            })
        .onSuccess(ended -> beatingSince = System.nanoTime());
  }

  /** A run before V100 had no node row: it ended at the platform's last heartbeat. */
  private static Instant legacyEnd(Connection c, Instant now) throws SQLException {
    return PlatformHeartbeat.last(c).orElse(now);
  }

  /** Starts the heartbeat, and the sweep while this node holds {@code sweep}. */
  public void start(DutyLeases.Lease sweep) {
    this.sweep = sweep;
    long every = Math.max(1, timeout.toMillis() / 3);
    timer = vertx.setPeriodic(every, id -> round());
  }

  private void round() {
    if (running) {
      return; // the database is slow: the previous round still runs
    }
    running = true;
    jdbc.transaction(nodes::beat)
        .onSuccess(this::beaten)
        .onFailure(this::missed)
        .compose(ignored -> mayJudge() ? sweepDeadNodes() : Future.succeededFuture())
        .onComplete(result -> running = false);
  }

  private void beaten(boolean rowWasThere) {
    if (!rowWasThere) {
      LOG.error(
          "Node {} was taken for dead (no heartbeat for {}): its device sessions were recorded"
              + " offline, and its devices show offline until they reconnect",
          nodes.node(),
          timeout);
      beatingSince = System.nanoTime();
    } else if (beatingSince == null) {
      beatingSince = System.nanoTime();
    }
  }

  private void missed(Throwable failure) {
    beatingSince = null;
    LOG.warn("Node {} could not renew its heartbeat: {}", nodes.node(), failure.getMessage());
  }

  private boolean mayJudge() {
    return sweep.held()
        && beatingSince != null
        && System.nanoTime() - beatingSince >= timeout.toNanos();
  }

  /**
   * Ends the sessions of the nodes whose heartbeat is older than the time-out, each at its last
   * heartbeat ({@code node_lost}), and removes them, in one transaction: the node rows stay locked
   * until the commit, so a node restarting meanwhile and another sweep end none of them twice.
   */
  Future<Void> sweepDeadNodes() {
    return jdbc.transaction(
            c -> {
              List<EndedSession> ended = new ArrayList<>();
              for (ClusterNodes.DeadNode dead : nodes.lockDead(c)) {
                List<EndedSession> ofNode =
                    DeviceConnectivity.endSessionsHeldBy(
                        c,
                        dead.id(),
                        false,
                        protocol,
                        dead.lastHeartbeat(),
                        DeviceConnectivity.NODE_LOST);
                nodes.forget(c, dead.id());
                if (!ofNode.isEmpty()) {
                  LOG.warn(
                      "Node {} stopped renewing its heartbeat at {}: {} device sessions it held"
                          + " recorded offline",
                      dead.id(),
                      dead.lastHeartbeat(),
                      ofNode.size());
                }
                ended.addAll(ofNode);
              }
              return ended;
            })
        .onSuccess(ended -> connectivity.announceEnded(ended, DeviceConnectivity.NODE_LOST))
        .onFailure(e -> LOG.warn("Sweep of dead nodes failed: {}", e.getMessage()))
        .mapEmpty();
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
