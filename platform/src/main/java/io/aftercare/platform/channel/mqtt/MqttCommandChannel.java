package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.command.CommandChannel;

/** Delivers commands to devices connected to this gateway over MQTT. */
final class MqttCommandChannel implements CommandChannel {

  private final ConnectionRegistry connections;

  MqttCommandChannel(ConnectionRegistry connections) {
    this.connections = connections;
  }

  @Override
  public void wake(String deviceId) {
    MqttDeviceConnection connection = connections.get(deviceId);
    if (connection != null) {
      connection.wake();
    }
  }
}
