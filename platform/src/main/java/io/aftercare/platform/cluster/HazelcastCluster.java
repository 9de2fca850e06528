package io.aftercare.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.aftercare.platform.config.AftercareConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A clustered Vert.x on Hazelcast, configured from the {@code cluster} section alone: members from
 * the static {@code cluster.members} list (TCP/IP join; multicast and cloud discovery off), bound
 * to {@code cluster.host} on exactly {@code cluster.port}, no {@code hazelcast.xml} looked up, no
 * phone-home, logging through SLF4J. The only class that names Hazelcast.
 */
final class HazelcastCluster {

  /** Every node must name the same cluster; a Hazelcast of another application is not joined. */
  static final String CLUSTER_NAME = "aftercare";

  /**
   * How long a starting member waits for others before joining; Hazelcast's 5 s default would make
   * every start 5 s slower. Nodes that start at the very same moment may form two clusters, which
   * {@link #MERGE_DELAY_SECONDS} later merge.
   */
  private static final int WAIT_BEFORE_JOIN_SECONDS = 1;

  /** How soon and how often split clusters look for each other (Hazelcast: 300 s, then 120 s). */
  private static final int MERGE_DELAY_SECONDS = 10;

  /** A member that does not answer a TCP/IP join attempt this long is skipped. */
  private static final int CONNECTION_TIMEOUT_SECONDS = 2;

  private HazelcastCluster() {}

  /** Starts Vert.x clustered; completes once this node has joined. */
  static Future<Vertx> join(AftercareConfig.Cluster cluster, NodeIdentity node) {
    VertxOptions options = new VertxOptions();
    options
        .getEventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.eventBusPort())
        .setClusterPublicHost(cluster.host());
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(config(cluster, node)))
        .buildClustered();
  }

  /** The Hazelcast member's configuration; package-private for its test. */
  static Config config(AftercareConfig.Cluster cluster, NodeIdentity node) {
    if (cluster.members().isEmpty()) {
      throw new IllegalStateException(
          "cluster.mode hazelcast needs cluster.members (AFTERCARE_CLUSTER_MEMBERS): the"
              + " host:port of the nodes to join");
    }
    Config config = new Config();
    config.setClusterName(CLUSTER_NAME);
    // Unique in the JVM (tests run several nodes in one) and readable in Hazelcast's own logs.
    config.setInstanceName("aftercare-" + node.id());
    config.getMemberAttributeConfig().setAttribute("aftercare.node", node.id());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // The platform leaves the cluster in its own shutdown order (Vert.x closes last but one).
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "" + WAIT_BEFORE_JOIN_SECONDS);
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "" + MERGE_DELAY_SECONDS);
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "" + MERGE_DELAY_SECONDS);
    // A member silent this long leaves the cluster: the same bound as the node time-out after
    // which the database takes a node for dead, so that both views agree.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty(
        "hazelcast.max.no.heartbeat.seconds", "" + Math.max(2, cluster.nodeTimeout().toSeconds()));

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.setPublicAddress(cluster.host() + ":" + cluster.port());
    network.getInterfaces().setEnabled(true).addInterface(address(cluster.host()));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig()
        .setEnabled(true)
        .setConnectionTimeoutSeconds(CONNECTION_TIMEOUT_SECONDS)
        .setMembers(cluster.members());

    // The structures Vert.x keeps in Hazelcast, as its default-cluster.xml declares them.
    config.addMultiMapConfig(
        new MultiMapConfig("__vertx.subs")
            .setBackupCount(1)
            .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }

  /** Hazelcast binds to interfaces given as IP addresses; {@code cluster.host} may be a name. */
  private static String address(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("cluster.host " + host + " does not resolve", e);
    }
  }
}
