package io.aftercare.simulator.device;

import java.time.Instant;

/**
 * An event document as a device sends it: {@code type} is {@code error}, {@code reboot} or {@code
 * wifi}; codes are listed in docs/simulator.md.
 */
public record DeviceEventRecord(Instant ts, String type, String code, String message) {

  public static DeviceEventRecord error(Instant ts, String code, String message) {
    return new DeviceEventRecord(ts, "error", code, message);
  }

  public static DeviceEventRecord reboot(Instant ts, String code) {
    return new DeviceEventRecord(ts, "reboot", code, "device restarted");
  }

  public static DeviceEventRecord wifi(Instant ts, String code) {
    return new DeviceEventRecord(ts, "wifi", code, null);
  }
}
