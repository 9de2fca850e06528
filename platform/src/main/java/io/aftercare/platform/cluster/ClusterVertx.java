package io.aftercare.platform.cluster;

import io.aftercare.platform.config.AftercareConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The platform's one Vert.x instance, as {@code cluster.mode} says: with {@code off} a plain
 * instance whose event bus stays in this process, exactly as a single node always ran; with {@code
 * hazelcast} a clustered one whose event bus reaches the other nodes. Everything that talks to
 * other nodes does so over this event bus, so the rest of the platform is the same in both modes.
 */
public final class ClusterVertx {

  private ClusterVertx() {}

  /**
   * Starts Vert.x; in {@code hazelcast} mode completes once this node has joined the cluster. In
   * {@code off} mode no Hazelcast class is even loaded: {@link HazelcastCluster} is touched only in
   * the other branch.
   */
  public static Future<Vertx> start(AftercareConfig.Cluster cluster, NodeIdentity node) {
    return switch (cluster.mode()) {
      case OFF -> Future.succeededFuture(Vertx.vertx());
      case HAZELCAST -> HazelcastCluster.join(cluster, node);
    };
  }
}
