package io.aftercare.platform.testing;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/** Real Eclipse Paho clients (MQTT 3.1.1 and 5) connected as devices. */
public final class PahoDevices {

  private PahoDevices() {}

  /** An MQTT 3.1.1 client connected with the device's credentials. */
  public static MqttClient v3(String serverUri, String deviceId, String token)
      throws MqttException {
    MqttClient client = new MqttClient(serverUri, deviceId, new MemoryPersistence());
    // Blocking publish/subscribe/disconnect give up instead of waiting forever for an ack.
    client.setTimeToWait(30_000);
    client.connect(v3Options(deviceId, token));
    return client;
  }

  public static MqttConnectOptions v3Options(String deviceId, String token) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(deviceId);
    options.setPassword(token.toCharArray());
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    options.setMaxInflight(1000);
    return options;
  }

  /** An MQTT 5 client connected with the device's credentials. */
  public static MqttAsyncClient v5(String serverUri, String deviceId, String token)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    MqttAsyncClient client =
        new MqttAsyncClient(
            serverUri, deviceId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    client.connect(v5Options(deviceId, token)).waitForCompletion(10_000);
    return client;
  }

  public static MqttConnectionOptions v5Options(String deviceId, String token) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName(deviceId);
    options.setPassword(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    options.setCleanStart(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    return options;
  }
}
