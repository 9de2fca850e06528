package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.error.Failure;
import io.micrometer.core.instrument.Counter;
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

  MqttMetrics(MeterRegistry meters) {
    this.meters = meters;
    meters.gauge("aftercare.mqtt.connections", connections);
    this.messagesStored = meters.counter("aftercare.mqtt.publish.stored");
    this.pointsStored = meters.counter("aftercare.mqtt.publish.rows");
    this.parked = meters.counter("aftercare.mqtt.publish.parked");
    for (Failure failure : Failure.values()) {
      refused.put(
          failure,
          meters.counter(
              "aftercare.mqtt.publish.refused", "reason", failure.name().toLowerCase(Locale.ROOT)));
    }
  }

  void connected() {
    connections.incrementAndGet();
  }

  void disconnected() {
    connections.decrementAndGet();
  }

  void connectRefused(MqttConnectReturnCode code) {
    meters
        .counter("aftercare.mqtt.connect.refused", "code", code.name().toLowerCase(Locale.ROOT))
        .increment();
  }

  void published(int rows) {
    messagesStored.increment();
    pointsStored.increment(rows);
  }

  void parked() {
    parked.increment();
  }

  void refused(Failure failure) {
    refused.get(failure).increment();
  }
}
