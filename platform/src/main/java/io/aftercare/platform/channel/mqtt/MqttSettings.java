package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.config.AftercareConfig;

/** The MQTT limits a connection enforces and advertises. */
record MqttSettings(
    int maxPacketBytes,
    int receiveMaximum,
    int maxKeepAliveSeconds,
    int maxSubscriptions,
    int maxConnectionsPerSource) {

  static MqttSettings from(AftercareConfig.Mqtt config) {
    return new MqttSettings(
        config.maxPacketBytes(),
        config.receiveMaximum(),
        (int) Math.min(65_535, config.maxKeepAlive().toSeconds()),
        config.maxSubscriptions(),
        config.maxConnectionsPerSource());
  }
}
