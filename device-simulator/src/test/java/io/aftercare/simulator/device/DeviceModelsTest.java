package io.aftercare.simulator.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.simulator.fault.FaultKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeviceModelsTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration STEP = Duration.ofSeconds(10);

  @ParameterizedTest
  @EnumSource(DeviceType.class)
  void healthyDevicesReportPlausibleValuesForADay(DeviceType type) {
    SimulatedDevice device = Devices.create("d-1", type, 42);

    for (Reading r : run(device, 8640)) {
      assertThat(r.number("wifi_rssi_dbm")).isBetween(-75.0, -40.0);
      assertThat(r.number("memory_free_pct")).isBetween(40.0, 95.0);
      assertThat(r.number("storage_free_pct")).isBetween(0.0, 100.0);
      assertThat(r.number("uptime_s")).isGreaterThanOrEqualTo(0.0);
      assertThat(r.flag("wifi_connected")).isTrue();
      assertThat(r.events()).isEmpty();
      switch (type) {
        case THERMOSTAT -> {
          assertThat(r.number("temperature_c")).isBetween(15.0, 25.0);
          assertThat(r.number("humidity_pct")).isBetween(20.0, 80.0);
          assertThat(r.number("battery_pct")).isBetween(50.0, 100.0);
        }
        case SMART_PLUG -> assertThat(r.number("power_w")).isBetween(0.0, 1400.0);
        case DOOR_LOCK -> assertThat(r.number("battery_pct")).isBetween(50.0, 100.0);
        case CAMERA, HUB -> assertThat(r.number("cpu_temp_c")).isBetween(35.0, 65.0);
        case FRIDGE -> {
          assertThat(r.number("fridge_temp_c")).isBetween(1.0, 8.0);
          assertThat(r.number("freezer_temp_c")).isBetween(-24.0, -14.0);
        }
      }
    }
  }

  @Test
  void thermostatRoomFollowsANewSetpoint() {
    SimulatedDevice thermostat = Devices.create("t-1", DeviceType.THERMOSTAT, 7);
    thermostat.configure("setpoint_c", 24);

    List<Reading> readings = run(thermostat, 360);

    assertThat(last(readings).number("temperature_c")).isBetween(23.5, 24.5);
    assertThat(last(readings).number("setpoint_c")).isEqualTo(24.0);
  }

  @Test
  void sameSeedSameReadings() {
    assertThat(run(Devices.create("f", DeviceType.FRIDGE, 5), 100))
        .isEqualTo(run(Devices.create("f", DeviceType.FRIDGE, 5), 100));
  }

  @Test
  void overheatingFridgeWarmsUpWithTheCompressorRunning() {
    SimulatedDevice fridge = faulty(DeviceType.FRIDGE, FaultKind.OVERHEATING);

    Reading after = last(run(fridge, 60));

    assertThat(after.number("fridge_temp_c")).isGreaterThan(20.0);
    assertThat(after.flag("compressor_on")).isTrue();
  }

  @Test
  void batteryDrainEmptiesTheBatteryWithinAnHour() {
    SimulatedDevice lock = faulty(DeviceType.DOOR_LOCK, FaultKind.BATTERY_DRAIN);

    assertThat(last(run(lock, 360)).number("battery_pct")).isZero();
  }

  @Test
  void stuckSensorRepeatsOneValue() {
    SimulatedDevice thermostat = faulty(DeviceType.THERMOSTAT, FaultKind.STUCK_SENSOR);

    assertThat(run(thermostat, 50).stream().map(r -> r.number("temperature_c")).distinct())
        .hasSize(1);
  }

  @Test
  void memoryLeakEndsInWatchdogReboots() {
    SimulatedDevice hub = faulty(DeviceType.HUB, FaultKind.MEMORY_LEAK);

    List<Reading> readings = run(hub, 200);

    assertThat(events(readings)).anySatisfy(e -> assertThat(e.code()).isEqualTo("R_WATCHDOG"));
    assertThat(
            readings.stream()
                .mapToDouble(r -> r.metrics().isEmpty() ? 100 : r.number("memory_free_pct"))
                .min()
                .orElseThrow())
        .isLessThan(10.0);
  }

  @Test
  void rebootLoopRestartsEveryFewMinutes() {
    SimulatedDevice plug = faulty(DeviceType.SMART_PLUG, FaultKind.REBOOT_LOOP);

    List<Reading> readings = run(plug, 100);

    assertThat(events(readings)).filteredOn(e -> e.type().equals("reboot")).hasSizeGreaterThan(3);
    assertThat(readings)
        .allSatisfy(
            r -> {
              if (!r.metrics().isEmpty()) {
                assertThat(r.number("uptime_s")).isLessThanOrEqualTo(130.0);
              }
            });
  }

  @Test
  void wifiFlappingLeavesGapsAndReportsDisconnects() {
    SimulatedDevice camera = faulty(DeviceType.CAMERA, FaultKind.WIFI_FLAPPING);

    List<Reading> readings = run(camera, 30);

    assertThat(readings).anySatisfy(r -> assertThat(r.metrics()).isEmpty());
    assertThat(events(readings))
        .extracting(DeviceEventRecord::code)
        .contains("W_DISCONNECTED", "W_RECONNECTED");
    assertThat(readings)
        .filteredOn(r -> !r.metrics().isEmpty())
        .allSatisfy(r -> assertThat(r.number("wifi_rssi_dbm")).isLessThan(-80.0));
  }

  @Test
  void offlineDeviceReportsNothing() {
    SimulatedDevice hub = faulty(DeviceType.HUB, FaultKind.OFFLINE);

    assertThat(run(hub, 10)).allSatisfy(r -> assertThat(r.metrics()).isEmpty());
    assertThat(hub.online()).isFalse();
  }

  @Test
  void errorBurstSendsTheProductsErrorCode() {
    SimulatedDevice lock = faulty(DeviceType.DOOR_LOCK, FaultKind.ERROR_BURST);

    assertThat(events(run(lock, 5)))
        .hasSize(15)
        .allSatisfy(e -> assertThat(e.code()).isEqualTo("E_MOTOR_JAM"));
  }

  @Test
  void abnormalPowerDrawsFarMoreThanTheCompressorExplains() {
    SimulatedDevice fridge = faulty(DeviceType.FRIDGE, FaultKind.ABNORMAL_POWER);

    assertThat(run(fridge, 100))
        .allSatisfy(r -> assertThat(r.number("power_w")).isGreaterThan(40.0));
  }

  private static SimulatedDevice faulty(DeviceType type, FaultKind fault) {
    SimulatedDevice device = Devices.create("d-1", type, 11);
    device.inject(fault, T0, Optional.empty());
    return device;
  }

  private static List<Reading> run(SimulatedDevice device, int ticks) {
    List<Reading> readings = new ArrayList<>();
    for (int i = 1; i <= ticks; i++) {
      readings.add(device.tick(T0.plus(STEP.multipliedBy(i)), STEP));
    }
    return readings;
  }

  private static List<DeviceEventRecord> events(List<Reading> readings) {
    return readings.stream().flatMap(r -> r.events().stream()).toList();
  }

  private static Reading last(List<Reading> readings) {
    return readings.get(readings.size() - 1);
  }
}
