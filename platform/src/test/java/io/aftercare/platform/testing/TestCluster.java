package io.aftercare.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several platform nodes in this JVM, each with its own Vert.x, ports and data folder, joined into
 * one Hazelcast cluster on loopback and sharing one database: node 0 on a fresh database, the
 * others on its database URL. They share what every node of a real cluster must share (server key,
 * data key, admin token), so that devices and staff may use any node.
 */
public final class TestCluster implements AutoCloseable {

  private final List<TestPlatform> nodes;
  private final List<String> members;

  private TestCluster(List<TestPlatform> nodes, List<String> members) {
    this.nodes = nodes;
    this.members = members;
  }

  /**
   * Starts {@code size} nodes, named {@code node-a}, {@code node-b}, ..., one after another (each
   * joins the ones before it).
   *
   * @param overrides configuration keys for every node, e.g. a rules folder
   */
  public static TestCluster start(int size, Map<String, String> overrides) {
    List<Integer> ports = freePorts(size);
    List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
    Map<String, String> shared = new HashMap<>(overrides);
    shared.put("cluster.mode", "hazelcast");
    shared.put("cluster.host", "127.0.0.1");
    shared.put("cluster.eventBusPort", "0");
    shared.put("cluster.members", String.join(",", members));
    shared.put("security.serverKey", randomKey());
    shared.put("security.dataKey", randomKey());
    shared.put("security.adminToken", "test-cluster-admin-" + System.nanoTime());
    List<TestPlatform> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        Map<String, String> settings = new HashMap<>(shared);
        settings.put("cluster.nodeId", "node-" + (char) ('a' + i));
        settings.put("cluster.port", String.valueOf(ports.get(i)));
        nodes.add(
            i == 0
                ? TestPlatform.start(settings)
                : TestPlatform.startOnDatabaseOf(nodes.get(0), settings));
      }
    } catch (RuntimeException e) {
      new TestCluster(nodes, members).close();
      throw e;
    }
    return new TestCluster(nodes, members);
  }

  /** Node {@code index}, 0 for {@code node-a}. */
  public TestPlatform node(int index) {
    return nodes.get(index);
  }

  /** The nodes' Hazelcast members, {@code host:port}, for a test that joins the cluster itself. */
  public List<String> members() {
    return members;
  }

  /** Ports for Hazelcast members; free when asked, as the other tests' ports are picked. */
  public static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // Only probed for its port.
        }
      }
    }
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Stops the nodes, the last started first. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }
}
