package io.aftercare.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void defaultsAreTheDocumentedOnes() {
    AftercareConfig config = loader.load(null, Map.of());

    assertThat(config.mqtt().port()).isEqualTo(1883);
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.database().embedded()).isTrue();
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.mqtt().maxKeepAlive()).isEqualTo(Duration.ofSeconds(300));
    assertThat(config.database().retainFor()).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void fileOverridesDefaultsAndEnvironmentOverridesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("aftercare.yaml");
    Files.writeString(file, "mqtt:\n  port: 2883\n  receiveMaximum: 10\nhttp:\n  port: 9090\n");

    AftercareConfig config =
        loader.load(
            file, Map.of("AFTERCARE_MQTT_PORT", "0", "AFTERCARE_DB_URL", "jdbc:postgresql://db/x"));

    assertThat(config.mqtt().port()).isZero();
    assertThat(config.mqtt().receiveMaximum()).isEqualTo(10);
    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.database().embedded()).isFalse();
  }

  @Test
  void clusterIsOffByDefaultAndItsMembersComeCommaSeparatedFromTheEnvironment() {
    assertThat(loader.load(null, Map.of()).cluster().mode())
        .isEqualTo(AftercareConfig.Cluster.Mode.OFF);

    AftercareConfig.Cluster cluster =
        loader
            .load(
                null,
                Map.of(
                    "AFTERCARE_CLUSTER", "hazelcast",
                    "AFTERCARE_NODE_ID", "node-b",
                    "AFTERCARE_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701"))
            .cluster();

    assertThat(cluster.mode()).isEqualTo(AftercareConfig.Cluster.Mode.HAZELCAST);
    assertThat(cluster.nodeId()).isEqualTo("node-b");
    assertThat(cluster.members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
  }

  @Test
  void unknownKeysAndBadValuesAreErrorsNamingTheKey(@TempDir Path dir) throws Exception {
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, "mqtt:\n  prot: 1\n");
    assertThatThrownBy(() -> loader.load(typo, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("prot");

    assertThatThrownBy(() -> loader.load(null, Map.of("AFTERCARE_HTTP_PORT", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(() -> loader.load(Map.of("ingest.writeTimeout", "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("duration");
  }

  @Test
  void secretsStayOutOfToString() {
    AftercareConfig config =
        loader.load(
            null, Map.of("AFTERCARE_DB_PASSWORD", "hunter2", "AFTERCARE_ADMIN_TOKEN", "letmein"));

    assertThat(config.toString()).doesNotContain("hunter2").doesNotContain("letmein");
  }
}
