package io.aftercare.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark fleet's naming and shape, the same on every run so that a loaded database can be
 * reused: device {@code i} is of type {@code TYPES[i % 6]} with id {@code <type>-<i, six digits>};
 * the first {@code historyDevices} of them carry the telemetry history. Values are a cheap
 * deterministic function of device and minute (a daily cycle plus noise), shaped like what the
 * simulator's products send.
 */
final class BenchFleet {

  static final List<String> TYPES =
      List.of("thermostat", "smart_plug", "door_lock", "camera", "fridge", "hub");

  /** Metric names of each type, in {@link #TYPES} order; every type reports its Wi-Fi signal. */
  private static final List<List<String>> METRICS =
      List.of(
          List.of(
              "temperature_c",
              "setpoint_c",
              "humidity_pct",
              "battery_pct",
              "wifi_rssi_dbm",
              "uptime_s"),
          List.of(
              "power_w",
              "relay_on",
              "temperature_c",
              "wifi_rssi_dbm",
              "memory_free_pct",
              "uptime_s"),
          List.of(
              "locked", "door_open", "battery_pct", "temperature_c", "wifi_rssi_dbm", "uptime_s"),
          List.of(
              "cpu_temp_c",
              "power_w",
              "storage_free_pct",
              "memory_free_pct",
              "wifi_rssi_dbm",
              "uptime_s"),
          List.of(
              "fridge_temp_c",
              "freezer_temp_c",
              "compressor_on",
              "door_open",
              "power_w",
              "wifi_rssi_dbm",
              "uptime_s"),
          List.of(
              "connected_devices",
              "cpu_temp_c",
              "power_w",
              "memory_free_pct",
              "wifi_rssi_dbm",
              "uptime_s"));

  /** The metric every device reports; the bucketed query of the benchmark asks for it. */
  static final String COMMON_METRIC = "wifi_rssi_dbm";

  private BenchFleet() {}

  static String type(int device) {
    return TYPES.get(device % TYPES.size());
  }

  static String id(int device) {
    return String.format(Locale.ROOT, "%s-%06d", type(device), device);
  }

  /** Three models per type, e.g. {@code thermostat-m2}. */
  static String model(int device) {
    return type(device) + "-m" + (mix(device, 1) % 3 + 1);
  }

  /**
   * Four releases per model, most devices on the newest: 55 % on x.4, 25 % on x.3, 15 % on x.2, 5 %
   * on x.1; the major number is the model's.
   */
  static String firmware(int device) {
    int major = Integer.parseInt(model(device).substring(model(device).length() - 1));
    long p = mix(device, 2) % 100;
    int minor = p < 55 ? 4 : p < 80 ? 3 : p < 95 ? 2 : 1;
    return major + "." + minor + ".0";
  }

  /** Three devices per home, one customer per home. */
  static String home(int device) {
    return String.format(Locale.ROOT, "home-%06d", device / 3);
  }

  static String customer(int device) {
    return String.format(Locale.ROOT, "cust-%06d", device / 3);
  }

  /** One document's metrics for device {@code device} at minute {@code minute} of the history. */
  static Map<String, Double> document(int device, long minute) {
    List<String> names = METRICS.get(device % TYPES.size());
    Map<String, Double> values = new LinkedHashMap<>(names.size() * 2);
    double day = Math.sin(2 * Math.PI * (minute % 1440) / 1440.0);
    for (int m = 0; m < names.size(); m++) {
      double noise = (mix(device * 31L + m, minute) % 1000) / 1000.0 - 0.5;
      values.put(names.get(m), value(names.get(m), device, minute, day, noise));
    }
    return values;
  }

  static List<String> metrics(int device) {
    return new ArrayList<>(METRICS.get(device % TYPES.size()));
  }

  private static double value(String name, int device, long minute, double day, double noise) {
    return switch (name) {
      case "wifi_rssi_dbm" -> Math.round(-55 - (device % 25) + 4 * noise);
      case "uptime_s" -> (double) (minute * 60 % 2_592_000);
      case "relay_on", "compressor_on", "locked" -> noise > 0 ? 1.0 : 0.0;
      case "door_open" -> noise > 0.45 ? 1.0 : 0.0;
      case "battery_pct" -> round(100 - (minute % 43_200) / 600.0);
      case "power_w" -> round(40 + 30 * day + 5 * noise);
      case "connected_devices" -> (double) (8 + device % 12);
      case "fridge_temp_c" -> round(4 + 0.5 * day + noise);
      case "freezer_temp_c" -> round(-18 + 0.5 * day + noise);
      case "cpu_temp_c" -> round(52 + 6 * day + 2 * noise);
      case "humidity_pct", "memory_free_pct", "storage_free_pct" -> round(45 + 10 * day + noise);
      case "setpoint_c" -> 21.0;
      default -> round(21 + 2 * day + noise);
    };
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** A well-mixed non-negative hash of two numbers (SplitMix64's finaliser). */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }
}
