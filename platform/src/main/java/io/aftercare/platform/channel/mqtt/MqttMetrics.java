package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.error.Failure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** MQTT channel counters, exported at {@code /metrics}. */
final class MqttMetrics {

  private final MeterRegistry meters;
  private final AtomicInteger connections = new AtomicInteger();
  private final Counter messagesStored;
  private final Counter pointsStored;
  private final Counter parked;
  private final Map<Failure, Counter> refused = new EnumMap<>(Failure.class);
  private final Map<MqttViolation.Reason, Counter> violations =
      new EnumMap<>(MqttViolation.Reason.class);

  MqttMetrics(MeterRegistry meters) {
    this.meters = meters;
    Gauge.builder("aftercare.mqtt.connections", connections, AtomicInteger::get)
        .description("Open MQTT device connections")
        .register(meters);
    this.messagesStored =
        Counter.builder("aftercare.mqtt.publish.stored")
            .description("MQTT telemetry messages stored")
            .register(meters);
    this.pointsStored =
        Counter.builder("aftercare.mqtt.publish.rows")
            .description("Telemetry rows stored from MQTT messages")
            .register(meters);
    this.parked =
        Counter.builder("aftercare.mqtt.publish.parked")
            .description("MQTT 3.1.1 messages held back, waiting for room in the write queue")
            .register(meters);
    for (Failure failure : Failure.values()) {
      refused.put(
          failure,
          Counter.builder("aftercare.mqtt.publish.refused")
              .description("MQTT messages refused, by reason")
              .tag("reason", failure.name().toLowerCase(Locale.ROOT))
              .register(meters));
    }
    for (MqttViolation.Reason reason : MqttViolation.Reason.values()) {
      violations.put(
          reason,
          Counter.builder("aftercare.mqtt.protocol.violations")
              .description("MQTT connections closed for breaking the protocol, by reason code")
              .tag("reason", reason.tag())
              .register(meters));
    }
  }

  void connected() {
    connections.incrementAndGet();
  }

  void disconnected() {
    connections.decrementAndGet();
  }

  void connectRefused(MqttConnectReturnCode code) {
    Counter.builder("aftercare.mqtt.connect.refused")
        .description("MQTT connections refused, by CONNACK return code")
        .tag("code", code.name().toLowerCase(Locale.ROOT))
        .register(meters)
        .increment();
  }

  void published(int rows) {
    messagesStored.increment();
    pointsStored.increment(rows);
  }

  void parked() {
    parked.increment();
  }

  void violation(MqttViolation.Reason reason) {
    violations.get(reason).increment();
  }

  void refused(Failure failure) {
    refused.get(failure).increment();
  }
}
