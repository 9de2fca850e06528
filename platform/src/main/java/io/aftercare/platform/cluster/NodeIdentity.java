package io.aftercare.platform.cluster;

import io.aftercare.platform.config.AftercareConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This node's name in the cluster: {@code cluster.nodeId}, or the machine's host name when that is
 * blank. It must be the same across the node's restarts, because the sessions and duties a node
 * held are found again by this name after a crash; a one-node platform has a name too.
 */
public record NodeIdentity(String id) {

  private static final Path KERNEL_HOST_NAME = Path.of("/proc/sys/kernel/hostname");

  public NodeIdentity {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a node id must not be blank");
    }
  }

  /** The configured node id, or the host name when the configuration leaves it blank. */
  public static NodeIdentity of(AftercareConfig.Cluster cluster) {
    String configured = cluster.nodeId() == null ? "" : cluster.nodeId().strip();
    return new NodeIdentity(configured.isEmpty() ? hostName() : configured);
  }

  /**
   * The machine's name as the kernel knows it, read without asking DNS: {@code
   * InetAddress.getLocalHost()} resolves the name too, which on a host whose name is in no resolver
   * waits for DNS time-outs at every start, in either cluster mode.
   */
  private static String hostName() {
    try {
      String kernel = Files.readString(KERNEL_HOST_NAME).strip();
      if (!kernel.isEmpty()) {
        return kernel;
      }
    } catch (IOException notLinux) {
      // Fall back to the JDK's way below.
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(
          "cluster.nodeId is blank and the host name is unknown: set AFTERCARE_NODE_ID", e);
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
