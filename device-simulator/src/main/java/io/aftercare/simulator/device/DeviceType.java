package io.aftercare.simulator.device;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;

/** The smart-home products the simulator knows, with their usual reporting interval. */
public enum DeviceType {
  THERMOSTAT(Duration.ofSeconds(30), true),
  SMART_PLUG(Duration.ofSeconds(15), false),
  DOOR_LOCK(Duration.ofSeconds(60), true),
  CAMERA(Duration.ofSeconds(20), false),
  FRIDGE(Duration.ofSeconds(30), false),
  HUB(Duration.ofSeconds(30), false);

  private final Duration defaultInterval;
  private final boolean batteryPowered;

  DeviceType(Duration defaultInterval, boolean batteryPowered) {
    this.defaultInterval = defaultInterval;
    this.batteryPowered = batteryPowered;
  }

  public Duration defaultInterval() {
    return defaultInterval;
  }

  public boolean batteryPowered() {
    return batteryPowered;
  }

  /** The {@code type} sent when the device is provisioned, e.g. {@code smart_plug}. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static DeviceType fromId(String id) {
    return valueOf(id.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
