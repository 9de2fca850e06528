package io.aftercare.simulator.link;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a simulated device talks to the platform. */
public enum Protocol {
  MQTT3,
  MQTT5,
  COAP,
  /** CoAP over DTLS with a pre-shared key (identity = device id, key = token). */
  COAPS;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Protocol fromId(String id) {
    return valueOf(id.trim().toUpperCase(Locale.ROOT));
  }

  public boolean isMqtt() {
    return this == MQTT3 || this == MQTT5;
  }
}
