package io.aftercare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import io.aftercare.platform.testing.TestPlatform;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default, one node: the platform runs without any Hazelcast member. */
class ClusterModeOffTest {

  @Test
  void aNodeWithClusterModeOffStartsNoHazelcastMember() {
    try (TestPlatform platform = TestPlatform.start(Map.of())) {
      assertThat(Hazelcast.getAllHazelcastInstances()).isEmpty();
      assertThat(platform.api().get("/api/v1/rules").status()).isEqualTo(200);
    }
  }
}
