package io.aftercare.simulator.link;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A device on MQTT 5 through Eclipse Paho. A PUBACK with a failure reason code (0x97 quota
 * exceeded, 0x99 payload invalid) is a refusal, not a confirmation.
 */
final class PahoMqtt5Link implements DeviceLink {

  private static final long WAIT_MS = 10_000;

  private final MqttAsyncClient client;
  private final String deviceId;
  private final String token;

  PahoMqtt5Link(String serverUri, String deviceId, String token) throws LinkException {
    this.deviceId = deviceId;
    this.token = token;
    try {
      this.client = new MqttAsyncClient(serverUri, deviceId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new LinkException("cannot create MQTT 5 client for " + deviceId, e);
    }
  }

  @Override
  public void connect(Consumer<byte[]> onCommand) throws LinkException {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName(deviceId);
    options.setPassword(token.getBytes(StandardCharsets.UTF_8));
    options.setCleanStart(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(60);
    try {
      client.setCallback(new CommandCallback(onCommand));
      client.connect(options).waitForCompletion(WAIT_MS);
      // Paho 1.2.5's subscribe-with-listener variants fail on null or empty properties; the
      // client-wide callback is the reliable way to receive.
      client.subscribe(Channel.commandsAddress(deviceId), 1).waitForCompletion(WAIT_MS);
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
    MqttMessage message = new MqttMessage(json);
    message.setQos(1);
    try {
      IMqttToken sent = client.publish(channel.address(deviceId), message);
      sent.waitForCompletion(WAIT_MS);
      int[] codes = sent.getReasonCodes();
      if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
        throw new LinkException(
            deviceId + " publish refused with reason code 0x" + Integer.toHexString(codes[0]));
      }
    } catch (MqttException e) {
      throw new LinkException(deviceId + " publish failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void disconnect() {
    try {
      if (client.isConnected()) {
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

  /** Hands command documents over; the rest of Paho's callbacks are not needed by a device. */
  private record CommandCallback(Consumer<byte[]> onCommand) implements MqttCallback {

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      onCommand.accept(message.getPayload());
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
