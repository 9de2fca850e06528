package io.aftercare.simulator.fault;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The faults a scenario can inject; the names are what scenario files and ground truth use. */
public enum FaultKind {
  /** The device's heat metric climbs far above its normal range. */
  OVERHEATING,
  /** The battery drains about fifty times faster than normal. */
  BATTERY_DRAIN,
  /** The primary sensor repeats the same value, without noise. */
  STUCK_SENSOR,
  /** Wi-Fi drops every few ticks: weak RSSI, disconnect/reconnect events, data gaps. */
  WIFI_FLAPPING,
  /** The device goes silent and stays away; no remote command can reach it. */
  OFFLINE,
  /** The watchdog reboots the device every couple of minutes. */
  REBOOT_LOOP,
  /** Free memory shrinks steadily until the watchdog reboots the device, again and again. */
  MEMORY_LEAK,
  /** Error events arrive in bursts. */
  ERROR_BURST,
  /** Power draw is about three times what the device's state explains. */
  ABNORMAL_POWER,
  /**
   * The electronics run 30 °C hotter at once (a stalled fan, a runaway process) and are back to
   * normal as soon as the fault ends. Only devices that report their electronics' temperature
   * (cameras and hubs, {@code cpu_temp_c}) can have it. A firmware trial injects it in episodes
   * ({@code FirmwareTrial}); a fault list injects it for good.
   */
  OVERHEAT_EPISODE;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static FaultKind fromId(String id) {
    return valueOf(id.trim().toUpperCase(Locale.ROOT));
  }
}
