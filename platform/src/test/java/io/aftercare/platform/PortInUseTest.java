package io.aftercare.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.config.ConfigException;
import io.aftercare.platform.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A port another process holds stops start-up at once, with one line that names it. */
class PortInUseTest {

  @TempDir Path dataDir;

  @Test
  void aTakenMqttPortIsNamedInOneLineBeforeTheDatabaseStarts() throws Exception {
    try (ServerSocket holder = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int taken = holder.getLocalPort();
      ObjectNode config = new YAMLMapper().createObjectNode();
      config.put("dataDir", dataDir.toString());
      config.putObject("http").put("host", "127.0.0.1").put("port", 0);
      config.putObject("mqtt").put("host", "127.0.0.1").put("port", taken);
      config.putObject("coap").put("host", "127.0.0.1").put("port", 0).put("securePort", 0);
      Path file = dataDir.resolve("aftercare.yaml");
      new YAMLMapper().writeValue(file.toFile(), config);
      StringWriter err = new StringWriter();

      int exit =
          new CommandLine(new Main())
              .setErr(new PrintWriter(err, true))
              .execute("--config", file.toString());

      assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
      assertThat(err.toString().strip())
          .doesNotContain("\n")
          .contains("port " + taken, "mqtt.port", "AFTERCARE_MQTT_PORT");
      // No embedded database was started (it would live in the data folder).
      assertThat(Files.exists(dataDir.resolve("postgres"))).isFalse();
    }
  }

  @Test
  void aTakenDtlsPortIsNamedWithItsKeyAndEnvironmentVariable() throws Exception {
    try (DatagramSocket holder =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int taken = holder.getLocalPort();

      assertThatThrownBy(() -> Platform.start(config(Map.of("coap.securePort", taken))))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("port " + taken)
          .hasMessageContaining("coap.securePort")
          .hasMessageContaining("AFTERCARE_COAPS_PORT");
      assertThat(Files.exists(dataDir.resolve("postgres"))).isFalse();
    }
  }

  @Test
  void aTakenMqttTlsPortIsNamedWhenTlsIsOn() throws Exception {
    try (ServerSocket holder = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int taken = holder.getLocalPort();
      Map<String, Object> settings = Map.of("tls.selfSigned", true, "tls.mqttPort", taken);

      assertThatThrownBy(() -> Platform.start(config(settings)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("port " + taken)
          .hasMessageContaining("tls.mqttPort")
          .hasMessageContaining("AFTERCARE_MQTTS_PORT");
    }
  }

  @Test
  void oneTcpPortConfiguredTwiceIsRefused() throws Exception {
    int free;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      free = probe.getLocalPort();
    }

    assertThatThrownBy(() -> Platform.start(config(Map.of("mqtt.port", free, "http.port", free))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mqtt.port")
        .hasMessageContaining("http.port");
  }

  /** Loopback, any free port, an embedded database in the test's folder, then {@code ports}. */
  private AftercareConfig config(Map<String, ?> ports) {
    Map<String, String> settings = new HashMap<>();
    settings.put("dataDir", dataDir.toString());
    for (String section : new String[] {"http", "mqtt", "coap"}) {
      settings.put(section + ".host", "127.0.0.1");
      settings.put(section + ".port", "0");
    }
    settings.put("coap.securePort", "0");
    ports.forEach((key, port) -> settings.put(key, String.valueOf(port)));
    return new ConfigLoader().load(settings);
  }
}
