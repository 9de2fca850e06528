package io.aftercare.platform.ingest;

import io.aftercare.domain.Identifiers;
import java.util.Optional;

/**
 * Where a device sent a document: {@code devices/{id}/telemetry} or {@code devices/{id}/events}.
 * MQTT topics and CoAP paths share this shape, so both channels parse it here.
 */
public record UplinkAddress(String deviceId, UplinkKind kind) {

  private static final String PREFIX = "devices/";

  /** Parses a topic or path (a leading slash is allowed); empty if it is not an uplink. */
  public static Optional<UplinkAddress> parse(String topicOrPath) {
    String path = topicOrPath.startsWith("/") ? topicOrPath.substring(1) : topicOrPath;
    if (!path.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int slash = path.indexOf('/', PREFIX.length());
    if (slash < 0) {
      return Optional.empty();
    }
    String deviceId = path.substring(PREFIX.length(), slash);
    if (!Identifiers.isDeviceId(deviceId)) {
      return Optional.empty();
    }
    return UplinkKind.fromSuffix(path.substring(slash + 1))
        .map(kind -> new UplinkAddress(deviceId, kind));
  }

  public String topic() {
    return PREFIX + deviceId + "/" + kind.suffix();
  }
}
