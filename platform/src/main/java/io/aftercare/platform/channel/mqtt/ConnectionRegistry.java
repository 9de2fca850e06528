package io.aftercare.platform.channel.mqtt;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The live MQTT connection of each device on this gateway, shared by all MQTT server instances. A
 * new connection for a device takes over the old one.
 */
final class ConnectionRegistry {

  private final ConcurrentMap<String, MqttDeviceConnection> connections = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** Registers {@code connection} and returns the one it replaces, if any. */
  MqttDeviceConnection register(String deviceId, MqttDeviceConnection connection) {
    return connections.put(deviceId, connection);
  }

  /** Removes {@code connection} if it is still the device's current one. */
  boolean unregister(String deviceId, MqttDeviceConnection connection) {
    return connections.remove(deviceId, connection);
  }

  /** The gateway is about to close every connection: their ends are its doing, not the devices'. */
  void markClosing() {
    closing = true;
  }

  boolean closing() {
    return closing;
  }

  MqttDeviceConnection get(String deviceId) {
    return connections.get(deviceId);
  }

  int size() {
    return connections.size();
  }
}
