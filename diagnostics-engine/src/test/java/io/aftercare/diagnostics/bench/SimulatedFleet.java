package io.aftercare.diagnostics.bench;

import io.aftercare.diagnostics.DeviceProfile;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic fleet for measurements: the six device types in equal shares, six metrics per
 * document as in the telemetry vocabulary, mostly healthy values with about 2 % of devices in a
 * fault (low battery, weak Wi-Fi, low memory) so alarm updates are part of the cost.
 */
final class SimulatedFleet {
  static final int METRICS_PER_DOCUMENT = 6;
  static final int VARIANTS = 4;

  private static final List<String> TYPES =
      List.of("thermostat", "plug", "lock", "camera", "fridge", "hub");

  final DeviceProfile[] devices;

  /** {@code documents[device][variant]}: metric maps cycled through round after round. */
  final Map<String, Double>[][] documents;

  @SuppressWarnings("unchecked")
  SimulatedFleet(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    devices = new DeviceProfile[size];
    documents = (Map<String, Double>[][]) new Map<?, ?>[size][VARIANTS];
    for (int d = 0; d < size; d++) {
      String type = TYPES.get(d % TYPES.size());
      devices[d] = new DeviceProfile(String.format("dev-%06d", d), type, "M" + (d % 3), "1.4.2");
      boolean faulty = random.nextInt(50) == 0;
      for (int v = 0; v < VARIANTS; v++) {
        documents[d][v] = metrics(type, faulty, v, random);
      }
    }
  }

  private static Map<String, Double> metrics(
      String type, boolean faulty, int variant, SplittableRandom random) {
    double noise = random.nextDouble(-0.5, 0.5);
    double rssi = faulty ? -88 : -55 + noise * 10;
    double uptime = 3600.0 * 24 + variant * 10;
    return switch (type) {
      case "thermostat" ->
          Map.of(
              "temperature_c",
              21 + noise,
              "battery_pct",
              faulty ? 4.0 : 80 + noise,
              "wifi_rssi_dbm",
              rssi,
              "device_temp_c",
              35 + noise,
              "memory_free_pct",
              60 + noise,
              "uptime_s",
              uptime);
      case "plug" ->
          Map.of(
              "power_w",
              120 + noise * 20,
              "wifi_rssi_dbm",
              rssi,
              "wifi_connected",
              1.0,
              "device_temp_c",
              40 + noise,
              "uptime_s",
              uptime,
              "voltage_v",
              230 + noise);
      case "lock" ->
          Map.of(
              "battery_pct",
              faulty ? 9.0 : 70 + noise,
              "uptime_s",
              uptime,
              "door_open",
              0.0,
              "locked",
              1.0,
              "wifi_rssi_dbm",
              rssi,
              "device_temp_c",
              25 + noise);
      case "camera" ->
          Map.of(
              "battery_pct",
              90 + noise,
              "device_temp_c",
              45 + noise,
              "memory_free_pct",
              faulty ? 5.0 : 40 + noise,
              "storage_free_pct",
              55 + noise,
              "wifi_rssi_dbm",
              rssi,
              "wifi_connected",
              1.0);
      case "fridge" ->
          Map.of(
              "fridge_temp_c",
              4 + noise,
              "freezer_temp_c",
              -18 + noise,
              "power_w",
              variant % 2 == 0 ? 95 + noise : 2.0,
              "door_open",
              0.0,
              "wifi_rssi_dbm",
              rssi,
              "memory_free_pct",
              70 + noise);
      default ->
          Map.of(
              "device_temp_c",
              42 + noise,
              "memory_free_pct",
              50 + noise,
              "storage_free_pct",
              60 + noise,
              "wifi_rssi_dbm",
              rssi,
              "wifi_connected",
              1.0,
              "uptime_s",
              uptime);
    };
  }
}
