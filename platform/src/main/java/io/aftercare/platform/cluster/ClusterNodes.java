package io.aftercare.platform.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code platform_nodes} table seen from one node: its own row and heartbeat, and the nodes
 * whose heartbeat is older than the time-out. Times are the database's, so that the nodes' clocks
 * do not decide who is dead. Every method works in the caller's transaction.
 */
final class ClusterNodes {

  /** A node that stopped renewing its heartbeat, and when it last did. */
  record DeadNode(String id, Instant lastHeartbeat) {}

  private static final String REGISTER =
      "INSERT INTO platform_nodes (node_id, started_at, heartbeat_at) VALUES (?, now(), now())"
          + " ON CONFLICT (node_id) DO UPDATE SET started_at = now(), heartbeat_at = now()";

  private final String node;
  private final Duration timeout;

  ClusterNodes(String node, Duration timeout) {
    this.node = node;
    this.timeout = timeout;
  }

  String node() {
    return node;
  }

  /**
   * Registers this node as started now and returns the last heartbeat of its previous run, if
   * another node has not already ended that run. The row stays locked until the caller commits, so
   * that a sweep does not end the same sessions.
   */
  Optional<Instant> rejoin(Connection c) throws SQLException {
    Optional<Instant> previous = Optional.empty();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT heartbeat_at FROM platform_nodes WHERE node_id = ? FOR UPDATE")) {
      select.setString(1, node);
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          previous = Optional.of(rs.getTimestamp(1).toInstant());
        }
      }
    }
    register(c);
    return previous;
  }

  /**
   * Renews this node's heartbeat. False when its row was gone: another node took it for dead and
   * ended its sessions; the row is registered again.
   */
  boolean beat(Connection c) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE platform_nodes SET heartbeat_at = now() WHERE node_id = ?")) {
      update.setString(1, node);
      if (update.executeUpdate() > 0) {
        return true;
      }
    }
    register(c);
    return false;
  }

  /**
   * The other nodes whose heartbeat is older than the time-out, locked; one another sweep already
   * holds is skipped rather than waited for.
   */
  List<DeadNode> lockDead(Connection c) throws SQLException {
    List<DeadNode> dead = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT node_id, heartbeat_at FROM platform_nodes"
                + " WHERE heartbeat_at < now() - ? * INTERVAL '1 millisecond' AND node_id <> ?"
                + " ORDER BY node_id FOR UPDATE SKIP LOCKED")) {
      select.setLong(1, timeout.toMillis());
      select.setString(2, node);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          dead.add(new DeadNode(rs.getString(1), rs.getTimestamp(2).toInstant()));
        }
      }
    }
    return dead;
  }

  /** Removes a dead node whose sessions were ended; it registers again if it comes back. */
  void forget(Connection c, String deadNode) throws SQLException {
    try (PreparedStatement delete =
        c.prepareStatement("DELETE FROM platform_nodes WHERE node_id = ?")) {
      delete.setString(1, deadNode);
      delete.executeUpdate();
    }
  }

  private void register(Connection c) throws SQLException {
    try (PreparedStatement upsert = c.prepareStatement(REGISTER)) {
      upsert.setString(1, node);
      upsert.executeUpdate();
    }
  }
}
