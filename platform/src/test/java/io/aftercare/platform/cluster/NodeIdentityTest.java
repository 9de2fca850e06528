package io.aftercare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigLoader;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

  @Test
  void theConfiguredNodeIdNamesTheNode() {
    assertThat(NodeIdentity.of(cluster(Map.of("AFTERCARE_NODE_ID", " node-b "))).id())
        .isEqualTo("node-b");
  }

  @Test
  void aBlankNodeIdFallsBackToTheHostName() throws Exception {
    assertThat(NodeIdentity.of(cluster(Map.of())).id())
        .isEqualTo(InetAddress.getLocalHost().getHostName());
  }

  private static AftercareConfig.Cluster cluster(Map<String, String> environment) {
    return new ConfigLoader().load(null, environment).cluster();
  }
}
