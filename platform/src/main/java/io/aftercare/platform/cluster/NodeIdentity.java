package io.aftercare.platform.cluster;

import io.aftercare.platform.config.AftercareConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This node's name in the cluster: {@code cluster.nodeId}, or the machine's host name when that is
 * blank. It must be the same across the node's restarts, because the sessions and duties a node
 * held are found again by this name after a crash; a one-node platform has a name too.
 */
public record NodeIdentity(String id) {

  public NodeIdentity {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a node id must not be blank");
    }
  }

  /** The configured node id, or the host name when the configuration leaves it blank. */
  public static NodeIdentity of(AftercareConfig.Cluster cluster) {
    String configured = cluster.nodeId() == null ? "" : cluster.nodeId().strip();
    return new NodeIdentity(configured.isEmpty() ? hostName() : configured);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // The host name is the one the resolver could not map to an address: still a stable name.
      String fromEnvironment = System.getenv("HOSTNAME");
      if (fromEnvironment != null && !fromEnvironment.isBlank()) {
        return fromEnvironment.strip();
      }
      throw new IllegalStateException(
          "cluster.nodeId is blank and the host name is unknown: set AFTERCARE_NODE_ID", e);
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
