package io.aftercare.platform.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenPortsTest {

  @Test
  void aTakenClusterPortStopsAHazelcastNodeBeforeAnythingStartsNamingTheKey() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Map<String, String> environment = freePorts();
      environment.put("AFTERCARE_CLUSTER", "hazelcast");
      environment.put("AFTERCARE_CLUSTER_HOST", "127.0.0.1");
      environment.put("AFTERCARE_CLUSTER_PORT", String.valueOf(taken.getLocalPort()));

      assertThatThrownBy(() -> ListenPorts.requireFree(new ConfigLoader().load(null, environment)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("cluster.port")
          .hasMessageContaining("AFTERCARE_CLUSTER_PORT");

      environment.put("AFTERCARE_CLUSTER", "off");
      assertThatCode(() -> ListenPorts.requireFree(new ConfigLoader().load(null, environment)))
          .doesNotThrowAnyException();
    }
  }

  /** Every other port any free one, the database external: only the cluster's ports are checked. */
  private static Map<String, String> freePorts() {
    Map<String, String> environment = new HashMap<>();
    for (String key :
        new String[] {
          "AFTERCARE_HTTP_PORT",
          "AFTERCARE_MQTT_PORT",
          "AFTERCARE_COAP_PORT",
          "AFTERCARE_COAPS_PORT",
          "AFTERCARE_MQTTS_PORT"
        }) {
      environment.put(key, "0");
    }
    environment.put("AFTERCARE_DB_URL", "jdbc:postgresql://127.0.0.1:1/unused");
    return environment;
  }
}
