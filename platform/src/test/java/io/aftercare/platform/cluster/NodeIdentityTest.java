package io.aftercare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

  @Test
  void theConfiguredNodeIdNamesTheNode() {
    assertThat(NodeIdentity.of(cluster(Map.of("AFTERCARE_NODE_ID", " node-b "))).id())
        .isEqualTo("node-b");
  }

  @Test
  void aBlankNodeIdFallsBackToTheHostNameTheKernelKnows() throws Exception {
    // The tests run on Linux (the embedded PostgreSQL's binaries are Linux ones).
    assertThat(NodeIdentity.of(cluster(Map.of())).id())
        .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
  }

  private static AftercareConfig.Cluster cluster(Map<String, String> environment) {
    return new ConfigLoader().load(null, environment).cluster();
  }
}
