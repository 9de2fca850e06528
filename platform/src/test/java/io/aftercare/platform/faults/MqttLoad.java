package io.aftercare.platform.faults;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A device publishing numbered documents with QoS 1 from its own thread, reconnecting (to wherever
 * {@code serverUri} says the platform listens now) whenever the connection is gone. Each document's
 * sequence number is its {@code seq} metric and its time stamp's offset from {@code base}.
 */
public final class MqttLoad extends NumberedLoad {

  private static final long PAUSE_MS = 20;

  /** How long {@link #stop} waits for acknowledgements still on their way. */
  private static final long ACK_WAIT_MS = 5_000;

  private final Supplier<String> serverUri;
  private final String deviceId;
  private final String token;
  private final DeliveryLedger ledger;
  private volatile MqttAsyncClient client;
  private long next = 1;

  public MqttLoad(
      Supplier<String> serverUri,
      String deviceId,
      String token,
      Instant base,
      DeliveryLedger ledger) {
    super("mqtt-load-" + deviceId, base);
    this.serverUri = serverUri;
    this.deviceId = deviceId;
    this.token = token;
    this.ledger = ledger;
  }

  @Override
  void run() {
    while (running) {
      try {
        if (client == null || !client.isConnected()) {
          connect();
        }
        publish(next);
        next++;
      } catch (MqttException e) {
        // Not connected, or too many unacknowledged: this number is sent again later.
        pause(200);
      }
      pause(PAUSE_MS);
    }
  }

  private void connect() throws MqttException {
    if (client != null) {
      closeQuietly(client);
    }
    client = new MqttAsyncClient(serverUri.get(), deviceId, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(deviceId);
    options.setPassword(token.toCharArray());
    options.setCleanSession(true);
    options.setConnectionTimeout(5);
    options.setMaxInflight(200);
    client.connect(options).waitForCompletion(5_000);
  }

  private void publish(long sequence) throws MqttException {
    client.publish(
        "devices/" + deviceId + "/telemetry",
        document(sequence).getBytes(StandardCharsets.UTF_8),
        1,
        false,
        null,
        new IMqttActionListener() {
          @Override
          public void onSuccess(IMqttToken asyncActionToken) {
            ledger.acked(sequence);
          }

          @Override
          public void onFailure(IMqttToken asyncActionToken, Throwable exception) {
            // Unacknowledged: the checker judges it by what the database holds.
          }
        });
    ledger.sent(sequence);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(MqttAsyncClient client) {
    try {
      client.disconnectForcibly(100, 1_000);
    } catch (MqttException e) {
      // Already gone.
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      // Already closed.
    }
  }

  /** Stops sending; waits for acknowledgements still on their way, then disconnects. */
  @Override
  public void stop() throws InterruptedException {
    super.stop();
    MqttAsyncClient last = client;
    if (last == null) {
      return;
    }
    try {
      await()
          .atMost(Duration.ofMillis(ACK_WAIT_MS))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !last.isConnected() || last.getPendingDeliveryTokens().length == 0);
    } catch (ConditionTimeoutException e) {
      // Acknowledgements that never came leave those numbers unacked: the checker judges them.
    }
    closeQuietly(last);
  }
}
