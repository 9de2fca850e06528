package io.aftercare.platform.testing;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;

/** Devices that connect over MQTT and have been heard from: one document of theirs is stored. */
public final class HeardDevices {

  private HeardDevices() {}

  /**
   * Connects {@code id} over MQTT 3.1.1, publishes one telemetry document and waits until it is
   * stored; the client stays connected. Stored also means Paho's receiver is done with the
   * acknowledgement, so a test may drop the connection next (dropping it under Paho fails there).
   */
  public static MqttClient connectAndReport(TestPlatform platform, String id, String token)
      throws Exception {
    long before =
        platform.count("SELECT count(*) FROM telemetry_documents WHERE device_id = ?", id);
    MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
    device.publish(
        "devices/" + id + "/telemetry",
        "{\"metrics\":{\"power_w\":12.5}}".getBytes(StandardCharsets.UTF_8),
        1,
        false);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                platform.count("SELECT count(*) FROM telemetry_documents WHERE device_id = ?", id)
                    > before);
    return device;
  }

  /** As a power cut does: the connection drops without a DISCONNECT. */
  public static void loseConnection(MqttClient device) {
    try {
      device.disconnectForcibly(0, 0, false);
      device.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
