package io.aftercare.platform.device;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which transports a device may use: {@code any}, or {@code secure_only} (MQTT over TLS and CoAP
 * over DTLS), so that a device whose maker can do TLS never has its token cross the network in
 * clear, even if someone points it at the plain port.
 */
public enum DeviceTransport {
  ANY("any"),
  SECURE_ONLY("secure_only");

  private final String wireName;

  DeviceTransport(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<DeviceTransport> fromWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  /** Whether a connection over this transport (TLS/DTLS or not) is allowed. */
  public boolean allows(boolean secure) {
    return secure || this == ANY;
  }
}
