package io.aftercare.simulator.load;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What a load test does.
 *
 * @param protocol {@code mqtt}, {@code coap} or {@code mixed} (every other device on CoAP)
 * @param rate messages per second over the whole fleet
 * @param documents documents per message: 1, or a batch (the contract's JSON array), as a device
 *     uploading buffered readings sends
 * @param warmup sent at the full rate before {@code duration}, and checked for loss like the rest,
 *     but left out of latency and throughput: a fresh generator JVM (and a cold gateway) runs
 *     interpreted code for its first seconds, which is not what the run sets out to measure
 * @param maxInflight unacknowledged messages per device at most; more wait in a queue (and their
 *     waiting counts as latency)
 * @param rampRate new connections per second while the fleet connects
 * @param idPrefix device ids are this plus a five-digit number
 * @param provision false: anonymous devices, no API calls, no database check
 * @param mqtt the MQTT servers: one, or the nodes of a cluster, each MQTT device connecting to the
 *     next in turn
 * @param watched processes besides the generator whose CPU per acknowledged message is reported
 */
public record LoadSettings(
    int devices,
    String protocol,
    double rate,
    int qos,
    Duration duration,
    Duration warmup,
    int metrics,
    int documents,
    int maxInflight,
    double rampRate,
    String idPrefix,
    boolean provision,
    List<URI> mqtt,
    URI coap,
    List<WatchedProcess> watched) {

  public LoadSettings {
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warm-up must not be negative");
    }
    if (devices < 1
        || rate <= 0
        || metrics < 1
        || documents < 1
        || maxInflight < 1
        || rampRate <= 0) {
      throw new IllegalArgumentException(
          "devices, rate, metrics, documents, in-flight and ramp rate must be positive");
    }
    if (mqtt.isEmpty()) {
      throw new IllegalArgumentException("at least one MQTT server is needed");
    }
    mqtt = List.copyOf(mqtt);
    watched = List.copyOf(watched);
    if (qos != 0 && qos != 1) {
      throw new IllegalArgumentException("qos must be 0 or 1");
    }
    if (!protocol.equals("mqtt") && !protocol.equals("coap") && !protocol.equals("mixed")) {
      throw new IllegalArgumentException("protocol must be mqtt, coap or mixed");
    }
  }

  boolean onCoap(int deviceIndex) {
    return protocol.equals("coap") || (protocol.equals("mixed") && deviceIndex % 2 == 1);
  }

  /** The server of the {@code ordinal}-th MQTT device: round-robin over the servers. */
  URI mqttServer(int ordinal) {
    return mqtt.get(ordinal % mqtt.size());
  }

  String deviceId(int index) {
    return String.format(java.util.Locale.ROOT, "%s%05d", idPrefix, index);
  }

  long totalMessages() {
    return (long) Math.floor(rate * duration.plus(warmup).toMillis() / 1000.0);
  }
}
