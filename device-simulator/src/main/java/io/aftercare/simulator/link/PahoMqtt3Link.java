package io.aftercare.simulator.link;

import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A device on MQTT 3.1.1 through Eclipse Paho's blocking client. */
final class PahoMqtt3Link implements DeviceLink {

  private final MqttClient client;
  private final String deviceId;
  private final String token;

  PahoMqtt3Link(String serverUri, String deviceId, String token) throws LinkException {
    this.deviceId = deviceId;
    this.token = token;
    try {
      this.client = new MqttClient(serverUri, deviceId, new MemoryPersistence());
      client.setTimeToWait(10_000);
    } catch (MqttException e) {
      throw new LinkException("cannot create MQTT client for " + deviceId, e);
    }
  }

  @Override
  public void connect(Consumer<byte[]> onCommand) throws LinkException {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(deviceId);
    options.setPassword(token.toCharArray());
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(60);
    try {
      client.connect(options);
      client.subscribe(
          Channel.commandsAddress(deviceId),
          1,
          (topic, message) -> onCommand.accept(message.getPayload()));
    } catch (MqttException e) {
      throw new LinkException(deviceId + " could not connect: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public void send(Channel channel, byte[] json) throws LinkException {
    try {
      client.publish(channel.address(deviceId), json, 1, false);
    } catch (MqttException e) {
      throw new LinkException(deviceId + " publish failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void disconnect() {
    try {
      if (client.isConnected()) {
        // No DISCONNECT packet: a device losing its Wi-Fi or rebooting has no time to say goodbye,
        // and the platform counts only such drops as connection flapping.
        client.disconnectForcibly(0, 1000, false);
      }
    } catch (MqttException e) {
      // Already gone is what we wanted.
    }
  }

  @Override
  public void close() {
    disconnect();
    try {
      client.close(true);
    } catch (MqttException e) {
      // Closing a client that failed to connect can complain; nothing is left to release.
    }
  }
}
