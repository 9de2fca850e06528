package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hand-encoded PUBLISH read back by Netty's own MQTT decoder. */
class PublishPacketTest {

  @Test
  void aQos1PublishDecodesToItsTopicPacketIdAndDocument() {
    // Enough metrics for a remaining length above 127, which takes two bytes to encode.
    TelemetryDocument document = new TelemetryDocument(12);
    PublishPacket packet =
        new PublishPacket("devices/load-1/telemetry", MqttQoS.AT_LEAST_ONCE, document);

    MqttPublishMessage decoded = decode(packet, 40_001, 1_735_689_600_123L);

    assertThat(decoded.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
    assertThat(decoded.variableHeader().topicName()).isEqualTo("devices/load-1/telemetry");
    assertThat(decoded.variableHeader().packetId()).isEqualTo(40_001);
    assertThat(decoded.payload().toString(StandardCharsets.US_ASCII))
        .isEqualTo(new String(document.bytes(1_735_689_600_123L), StandardCharsets.US_ASCII));
    decoded.release();
  }

  @Test
  void aQos0PublishHasNoPacketId() {
    TelemetryDocument document = new TelemetryDocument(1);
    PublishPacket packet = new PublishPacket("devices/d/telemetry", MqttQoS.AT_MOST_ONCE, document);

    MqttPublishMessage decoded = decode(packet, 7, 5);

    assertThat(decoded.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_MOST_ONCE);
    assertThat(decoded.payload().toString(StandardCharsets.US_ASCII))
        .isEqualTo("{\"ts\":5,\"metrics\":{\"load_0\":5}}");
    decoded.release();
  }

  private static MqttPublishMessage decode(PublishPacket packet, int packetId, long ts) {
    EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder());
    channel.writeInbound(packet.encode(ByteBufAllocator.DEFAULT, packetId, ts));
    MqttPublishMessage decoded = channel.readInbound();
    assertThat(decoded.decoderResult().isSuccess()).isTrue();
    assertThat(channel.finish()).isFalse();
    return decoded;
  }
}
