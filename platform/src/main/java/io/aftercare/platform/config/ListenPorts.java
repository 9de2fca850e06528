package io.aftercare.platform.config;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports the platform listens on, checked before anything starts: a port another process holds
 * would otherwise be found only after the database and diagnostics had started, as a stack trace
 * that names no port. Port 0 (any free port) always passes. What is taken between this check and
 * the real bind still fails start-up, just less helpfully; that window is short.
 */
public final class ListenPorts {

  private enum Transport {
    TCP,
    UDP
  }

  private record Port(String key, Transport transport, String host, int port) {}

  private ListenPorts() {}

  /**
   * @throws ConfigException naming the first port that is taken (or configured twice), its key and
   *     its environment variable
   */
  public static void requireFree(AftercareConfig config) {
    List<Port> ports = new ArrayList<>();
    ports.add(new Port("mqtt.port", Transport.TCP, config.mqtt().host(), config.mqtt().port()));
    ports.add(new Port("http.port", Transport.TCP, config.http().host(), config.http().port()));
    AftercareConfig.Tls tls = config.tls();
    if ((tls.certificateConfigured() || tls.selfSigned()) && tls.mqttPort() > 0) {
      ports.add(new Port("tls.mqttPort", Transport.TCP, config.mqtt().host(), tls.mqttPort()));
    }
    ports.add(new Port("coap.port", Transport.UDP, config.coap().host(), config.coap().port()));
    ports.add(
        new Port(
            "coap.securePort", Transport.UDP, config.coap().host(), config.coap().securePort()));
    if (config.database().embedded()) {
      ports.add(
          new Port(
              "database.embeddedPort",
              Transport.TCP,
              "127.0.0.1",
              config.database().embeddedPort()));
    }
    AftercareConfig.Cluster cluster = config.cluster();
    if (cluster.mode() == AftercareConfig.Cluster.Mode.HAZELCAST) {
      ports.add(new Port("cluster.port", Transport.TCP, cluster.host(), cluster.port()));
      ports.add(
          new Port("cluster.eventBusPort", Transport.TCP, cluster.host(), cluster.eventBusPort()));
    }
    Map<String, Port> claimed = new HashMap<>();
    for (Port port : ports) {
      if (port.port() == 0) {
        continue;
      }
      Port earlier = claimed.putIfAbsent(port.transport() + ":" + port.port(), port);
      if (earlier != null) {
        throw new ConfigException(
            describe(port) + " is also configured for " + describe(earlier) + ": choose another",
            null);
      }
      try {
        probe(port);
      } catch (IOException e) {
        throw new ConfigException(
            describe(port)
                + " on "
                + port.host()
                + " is not available ("
                + e.getMessage()
                + "): stop what holds it or choose another port (0 picks a free one)",
            e);
      }
    }
  }

  /** Binds the port and lets it go at once. */
  private static void probe(Port port) throws IOException {
    InetSocketAddress address = new InetSocketAddress(port.host(), port.port());
    if (port.transport() == Transport.TCP) {
      // As the servers bind: with SO_REUSEADDR, so connections of a previous run in TIME_WAIT do
      // not count as taken, while a live listener does.
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(address);
      }
    } else {
      try (DatagramSocket socket = new DatagramSocket(null)) {
        socket.setReuseAddress(false);
        socket.bind(address);
      }
    }
  }

  private static String describe(Port port) {
    String variable =
        ConfigLoader.ENVIRONMENT_KEYS.entrySet().stream()
            .filter(entry -> entry.getValue().equals(port.key()))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    return port.transport() + " port " + port.port() + " (" + port.key() + ", " + variable + ")";
  }
}
