package io.aftercare.platform.channel.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many devices at once: every acknowledged message is stored exactly once. */
class ConcurrentDevicesTest {

  private static final int DEVICES = 10;
  private static final int MESSAGES_PER_DEVICE = 100;
  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void everyAcknowledgedMessageFromConcurrentDevicesIsStoredExactlyOnce() throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int d = 0; d < DEVICES; d++) {
      tokens.add(platform.api().provisionDevice("fleet-" + d, "thermostat"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
    List<Future<Integer>> acked = new ArrayList<>();
    Instant start = Instant.parse("2026-11-23T00:00:00Z");
    for (int d = 0; d < DEVICES; d++) {
      String id = "fleet-" + d;
      String token = tokens.get(d);
      acked.add(
          pool.submit(
              () -> {
                MqttClient device = PahoDevices.v3(platform.mqttUri(), id, token);
                int count = 0;
                for (int m = 0; m < MESSAGES_PER_DEVICE; m++) {
                  String document =
                      "{\"ts\":\""
                          + start.plusSeconds(m)
                          + "\",\"metrics\":{\"temperature_c\":"
                          + m
                          + ",\"seq\":"
                          + m
                          + "}}";
                  // publish() with QoS 1 returns only once the PUBACK arrived.
                  device.publish(
                      "devices/" + id + "/telemetry",
                      document.getBytes(StandardCharsets.UTF_8),
                      1,
                      false);
                  count++;
                }
                device.disconnect();
                return count;
              }));
    }
    int totalAcked = 0;
    for (Future<Integer> result : acked) {
      totalAcked += result.get();
    }
    pool.shutdown();

    assertThat(totalAcked).isEqualTo(DEVICES * MESSAGES_PER_DEVICE);
    assertThat(platform.count("SELECT count(*) FROM telemetry WHERE metric = 'seq'"))
        .isEqualTo(1000);
    assertThat(
            platform.count(
                "SELECT count(DISTINCT (device_id, value)) FROM telemetry WHERE metric = 'seq'"))
        .isEqualTo(1000);
    for (int d = 0; d < DEVICES; d++) {
      assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = ?", "fleet-" + d))
          .isEqualTo(2L * MESSAGES_PER_DEVICE);
    }
  }
}
