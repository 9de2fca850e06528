package io.aftercare.simulator.link;

import java.util.function.Consumer;

/**
 * One device's connection to the platform, with blocking calls: the scenario runner drives a few
 * dozen devices from one thread, where simplicity beats throughput (the load mode has its own
 * non-blocking clients).
 */
public interface DeviceLink extends AutoCloseable {

  /**
   * Connects and starts listening for commands.
   *
   * @param onCommand receives each command document; called on the client's thread, so it must only
   *     hand the document over, never publish from there
   */
  void connect(Consumer<byte[]> onCommand) throws LinkException;

  boolean isConnected();

  /** Sends a JSON document and returns once the platform confirmed it (QoS 1 PUBACK, CoAP 2.04). */
  void send(Channel channel, byte[] json) throws LinkException;

  /** Drops the connection, as a device does when it reboots or loses Wi-Fi. */
  void disconnect();

  @Override
  void close();
}
