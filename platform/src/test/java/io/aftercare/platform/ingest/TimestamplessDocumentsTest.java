package io.aftercare.platform.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acked means stored: documents without {@code ts} are stamped on receipt, and every one of them
 * becomes its own row, however many arrive in one message or within one microsecond.
 */
class TimestamplessDocumentsTest {

  private TestPlatform platform;

  @BeforeEach
  void start() {
    // 1,000 minimal documents are about 20 KB: more than CoAP's default body limit.
    platform = TestPlatform.start(Map.of("coap.maxPayloadBytes", "65536"));
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  @Test
  void thousandDocumentsWithoutTsInOneMqttPublishAreThousandRows() throws Exception {
    String token = platform.api().provisionDevice("stamp-m", "plug");
    MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), "stamp-m", token);

    for (int message = 0; message < 2; message++) {
      IMqttToken ack =
          device.publish("devices/stamp-m/telemetry", documents(1000, message), 1, false);
      ack.waitForCompletion(30_000);
      assertThat(ack.getReasonCodes()).containsExactly(0);
    }

    assertThat(
            platform.count(
                "SELECT count(*) FROM telemetry_documents WHERE device_id = ?", "stamp-m"))
        .isEqualTo(2000);
    assertThat(
            platform.count(
                "SELECT count(DISTINCT ts) FROM telemetry_documents WHERE device_id = ?",
                "stamp-m"))
        .isEqualTo(2000);
    device.disconnect().waitForCompletion(10_000);
  }

  @Test
  void thousandDocumentsWithoutTsInOneCoapPostAreThousandRows() throws Exception {
    String token = platform.api().provisionDevice("stamp-c", "plug");
    try (CoapDevice device = CoapDevice.plain(platform.coapUri())) {
      CoapResponse response =
          device.postJson(
              "/devices/stamp-c/telemetry?token=" + token,
              new String(documents(1000, 0), StandardCharsets.UTF_8));
      assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    }
    assertThat(
            platform.count(
                "SELECT count(*) FROM telemetry_documents WHERE device_id = ?", "stamp-c"))
        .isEqualTo(1000);
  }

  @Test
  void identicalEventsWithoutTsSentBackToBackAreOneRowEach() throws Exception {
    String token = platform.api().provisionDevice("stamp-e", "fridge");
    MqttAsyncClient device = PahoDevices.v5(platform.mqttUri(), "stamp-e", token);
    byte[] event = "{\"type\":\"error\",\"code\":\"E_DOOR_OPEN\"}".getBytes(StandardCharsets.UTF_8);
    int rounds = 10;
    // Half the platform's Receive Maximum (64): Paho can report a token complete before it frees
    // that publish's in-flight slot, so a nearly full window sent right after the last
    // acknowledgement can be refused by the client itself ("Too many publishes in progress").
    int perRound = 32;

    // Each round is published without waiting, so that its events arrive and are read together.
    for (int round = 0; round < rounds; round++) {
      List<IMqttToken> acks = new ArrayList<>();
      for (int i = 0; i < perRound; i++) {
        acks.add(device.publish("devices/stamp-e/events", event, 1, false));
      }
      for (IMqttToken ack : acks) {
        ack.waitForCompletion(30_000);
        assertThat(ack.getReasonCodes()).containsExactly(0);
      }
    }

    assertThat(platform.count("SELECT count(*) FROM device_events WHERE device_id = ?", "stamp-e"))
        .isEqualTo(rounds * perRound);
    device.disconnect().waitForCompletion(10_000);
  }

  /** {@code [{"metrics":{"v":…}}, …]}: no document carries a timestamp. */
  private static byte[] documents(int count, int message) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"metrics\":{\"v\":").append(message * count + i).append("}}");
    }
    return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }
}
