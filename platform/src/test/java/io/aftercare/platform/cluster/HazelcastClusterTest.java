package io.aftercare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HazelcastClusterTest {

  @Test
  void membersComeFromTheStaticListOnTheConfiguredAddressAndPortAlone() {
    Config config =
        HazelcastCluster.config(
            cluster(
                Map.of(
                    "AFTERCARE_CLUSTER", "hazelcast",
                    "AFTERCARE_CLUSTER_HOST", "127.0.0.1",
                    "AFTERCARE_CLUSTER_PORT", "5801",
                    "AFTERCARE_CLUSTER_MEMBERS", "127.0.0.1:5801,127.0.0.1:5802")),
            new NodeIdentity("node-a"));

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces())
        .containsExactly("127.0.0.1");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    assertThat(config.getClusterName()).isEqualTo(HazelcastCluster.CLUSTER_NAME);
    // What Vert.x keeps in Hazelcast, as its own default configuration declares it.
    assertThat(config.getMultiMapConfig("__vertx.subs").getValueCollectionType().name())
        .isEqualTo("SET");
  }

  @Test
  void hazelcastModeWithoutMembersIsRefusedNamingTheKey() {
    assertThatThrownBy(
            () ->
                HazelcastCluster.config(
                    cluster(Map.of("AFTERCARE_CLUSTER", "hazelcast")), new NodeIdentity("node-a")))
        .hasMessageContaining("cluster.members");
  }

  private static AftercareConfig.Cluster cluster(Map<String, String> environment) {
    return new ConfigLoader().load(null, environment).cluster();
  }
}
