package io.aftercare.simulator.load;

import java.net.URI;
import java.time.Duration;

/**
 * What a load test does.
 *
 * @param protocol {@code mqtt}, {@code coap} or {@code mixed} (every other device on CoAP)
 * @param rate messages per second over the whole fleet
 * @param maxInflight unacknowledged messages per device at most; more wait in a queue (and their
 *     waiting counts as latency)
 * @param rampRate new connections per second while the fleet connects
 * @param idPrefix device ids are this plus a five-digit number
 * @param provision false: anonymous devices, no API calls, no database check
 */
public record LoadSettings(
    int devices,
    String protocol,
    double rate,
    int qos,
    Duration duration,
    int metrics,
    int maxInflight,
    double rampRate,
    String idPrefix,
    boolean provision,
    URI mqtt,
    URI coap) {

  public LoadSettings {
    if (devices < 1 || rate <= 0 || metrics < 1 || maxInflight < 1 || rampRate <= 0) {
      throw new IllegalArgumentException(
          "devices, rate, metrics, in-flight and ramp rate must be positive");
    }
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

  String deviceId(int index) {
    return String.format(java.util.Locale.ROOT, "%s%05d", idPrefix, index);
  }

  long totalMessages() {
    return (long) Math.floor(rate * duration.toMillis() / 1000.0);
  }
}
