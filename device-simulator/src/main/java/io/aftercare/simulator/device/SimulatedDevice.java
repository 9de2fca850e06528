package io.aftercare.simulator.device;

import io.aftercare.simulator.fault.ActiveFault;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.fault.OverheatEpisodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One simulated device: the state every product shares (uptime, Wi-Fi, memory, storage, battery,
 * firmware) and the effect of injected faults on it. Subclasses add their own physics and sensors.
 *
 * <p>Time only moves through {@link #tick}, and all randomness comes from the seeded {@link
 * Random}, so the same seed and the same tick instants give the same readings.
 */
public abstract class SimulatedDevice {

  private static final Duration WIFI_FLAP_PERIOD = Duration.ofSeconds(45);
  private static final Duration WIFI_FLAP_DOWN = Duration.ofSeconds(15);
  private static final double REBOOT_LOOP_UPTIME_S = 120;

  /**
   * How much hotter an overheat episode runs, before the product's own factor (1.5 on a CPU): 30 °C
   * on a hub (45 °C normally) or camera (52 °C), well above the overheating rule's 70 °C.
   */
  private static final double EPISODE_HEAT_C = 20;

  /** A fuel gauge's jitter between readings, in battery points (one standard deviation). */
  private static final double GAUGE_JITTER = 0.2;

  /** How often a reading is taken while the motor or radio draws current, and sags. */
  private static final double GAUGE_SAG_CHANCE = 0.01;

  protected final Random random;

  /**
   * The battery gauge's own noise, apart from {@link #random} so that adding it left every other
   * reading of a seed as it was.
   */
  private final Random gauge;

  private final String id;
  private final DeviceType type;
  private final Map<FaultKind, ActiveFault> faults = new EnumMap<>(FaultKind.class);
  private final List<DeviceEventRecord> pendingEvents = new ArrayList<>();
  private final double baseRssi;
  private final double baseMemoryFree;
  private double uptimeS;
  private double batteryPct;
  private double memoryFreePct;
  private double storageFreePct;
  private double overheatC;
  private boolean wifiUp = true;
  private boolean rebooting;
  private Object stuckValue;
  private String firmware = "2.4.1";
  private String previousFirmware = "2.3.9";
  private Duration reportingInterval;
  private OverheatEpisodes episodes;
  private Consumer<Instant> episodeStarted;

  protected SimulatedDevice(String id, DeviceType type, long seed) {
    this.id = id;
    this.type = type;
    this.random = new Random(seed);
    this.gauge = new Random(~seed);
    this.reportingInterval = type.defaultInterval();
    this.baseRssi = -45 - random.nextDouble() * 25;
    this.baseMemoryFree = 55 + random.nextDouble() * 25;
    this.memoryFreePct = baseMemoryFree;
    this.storageFreePct = 40 + random.nextDouble() * 50;
    this.batteryPct = 60 + random.nextDouble() * 40;
    this.uptimeS = random.nextInt(86_400);
  }

  /** Advances the device by {@code elapsed} and returns what it reports at {@code now}. */
  public final Reading tick(Instant now, Duration elapsed) {
    double dt = elapsed.toMillis() / 1000.0;
    rebooting = false;
    uptimeS += dt;
    if (episodes != null) {
      if (episodes.hotAt(now, episodeStarted)) {
        faults.putIfAbsent(
            FaultKind.OVERHEAT_EPISODE,
            new ActiveFault(FaultKind.OVERHEAT_EPISODE, now, Optional.empty()));
      } else {
        faults.remove(FaultKind.OVERHEAT_EPISODE);
      }
    }
    advanceCommon(now, dt);
    advance(dt);
    if (!online()) {
      return new Reading(now, Map.of(), List.of());
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    putSensors(metrics);
    applySensorFaults(metrics);
    metrics.put("uptime_s", Math.floor(uptimeS));
    metrics.put("wifi_rssi_dbm", round(rssi(), 0));
    metrics.put("wifi_connected", true);
    metrics.put("memory_free_pct", round(memoryFreePct, 1));
    metrics.put("storage_free_pct", round(storageFreePct, 1));
    if (type.batteryPowered()) {
      metrics.put("battery_pct", round(gaugeReading(), 1));
    }
    if (has(FaultKind.ERROR_BURST)) {
      for (int i = 0; i < 3; i++) {
        pendingEvents.add(
            DeviceEventRecord.error(now.plusMillis(i + 1L), errorCode(), "repeated failure"));
      }
    }
    List<DeviceEventRecord> events = List.copyOf(pendingEvents);
    pendingEvents.clear();
    return new Reading(now, metrics, events);
  }

  private void advanceCommon(Instant now, double dt) {
    if (type.batteryPowered()) {
      // Healthy: about four months on a battery. Draining: empty within the hour.
      double drainPerS = has(FaultKind.BATTERY_DRAIN) ? 0.05 : 0.00001;
      batteryPct = Math.max(0, batteryPct - drainPerS * dt);
    }
    if (has(FaultKind.MEMORY_LEAK)) {
      memoryFreePct = clamp(memoryFreePct - 0.1 * dt, 0, 95);
    } else {
      // A healthy heap wanders around its usual level and is pulled back to it by the GC.
      memoryFreePct += (baseMemoryFree - memoryFreePct) * 0.1 + random.nextGaussian() * 0.3;
      memoryFreePct = clamp(memoryFreePct, 0, 95);
    }
    overheatC = has(FaultKind.OVERHEATING) ? Math.min(overheatC + 0.05 * dt, 30) : 0;
    if (has(FaultKind.MEMORY_LEAK) && memoryFreePct < 5) {
      reboot(now, "R_WATCHDOG");
    } else if (has(FaultKind.REBOOT_LOOP) && uptimeS > REBOOT_LOOP_UPTIME_S) {
      reboot(now, "R_WATCHDOG");
    }
    if (has(FaultKind.WIFI_FLAPPING)) {
      long sinceMs = Duration.between(faults.get(FaultKind.WIFI_FLAPPING).since(), now).toMillis();
      boolean up = sinceMs % WIFI_FLAP_PERIOD.toMillis() >= WIFI_FLAP_DOWN.toMillis();
      setWifi(now, up);
    } else {
      setWifi(now, true);
    }
  }

  /**
   * What the battery gauge reports: the charge with a little jitter, and now and then a reading
   * sagging by 1-2 points under load, as real gauges do. An empty battery reads 0.
   */
  private double gaugeReading() {
    if (batteryPct <= 0) {
      return 0;
    }
    double reading = batteryPct + gauge.nextGaussian() * GAUGE_JITTER;
    if (gauge.nextDouble() < GAUGE_SAG_CHANCE) {
      reading -= 1 + gauge.nextDouble();
    }
    return clamp(reading, 0, 100);
  }

  private void setWifi(Instant now, boolean up) {
    if (up != wifiUp) {
      // Queued while down and delivered on reconnect, as a real device's event buffer would.
      pendingEvents.add(DeviceEventRecord.wifi(now, up ? "W_RECONNECTED" : "W_DISCONNECTED"));
      wifiUp = up;
    }
  }

  private void applySensorFaults(Map<String, Object> metrics) {
    String primary = primaryMetric();
    if (has(FaultKind.STUCK_SENSOR)) {
      if (stuckValue == null) {
        stuckValue = metrics.get(primary);
      }
      metrics.put(primary, stuckValue);
    } else {
      stuckValue = null;
    }
    if (has(FaultKind.ABNORMAL_POWER) && metrics.get("power_w") instanceof Number power) {
      metrics.put("power_w", round(power.doubleValue() * 3 + 40 + random.nextGaussian() * 2, 1));
    }
  }

  /** Restarts the device: uptime and memory start over, and one tick is spent off the network. */
  public void reboot(Instant now, String code) {
    uptimeS = 0;
    memoryFreePct = baseMemoryFree;
    rebooting = true;
    pendingEvents.add(DeviceEventRecord.reboot(now, code));
  }

  /** Whether the device is on the network this tick; when not, it holds no connection. */
  public boolean online() {
    return !rebooting && wifiUp && !has(FaultKind.OFFLINE);
  }

  public void inject(FaultKind kind, Instant since, Optional<String> curedBy) {
    if (!supports(kind)) {
      throw new IllegalArgumentException(type.id() + " cannot have fault " + kind.id());
    }
    faults.put(kind, new ActiveFault(kind, since, curedBy));
  }

  /** Removes the faults that {@code command} cures and returns them. */
  public List<ActiveFault> cureWith(String command) {
    List<ActiveFault> cured = new ArrayList<>();
    faults
        .values()
        .removeIf(
            f -> {
              boolean match = f.curedBy().filter(command::equals).isPresent();
              if (match) {
                cured.add(f);
              }
              return match;
            });
    return cured;
  }

  public boolean supports(FaultKind kind) {
    return supports(type, kind);
  }

  /** Battery faults need a battery; power faults need mains power. */
  public static boolean supports(DeviceType type, FaultKind kind) {
    return switch (kind) {
      case BATTERY_DRAIN -> type.batteryPowered();
      case ABNORMAL_POWER -> !type.batteryPowered();
      case OVERHEAT_EPISODE -> type == DeviceType.CAMERA || type == DeviceType.HUB;
      default -> true;
    };
  }

  public boolean has(FaultKind kind) {
    return faults.containsKey(kind);
  }

  public List<ActiveFault> faults() {
    return List.copyOf(faults.values());
  }

  /**
   * Runs {@code version} from now on, as provisioned with it; the one before stays for rollback.
   */
  public void installFirmware(String version) {
    previousFirmware = firmware;
    firmware = version;
  }

  /**
   * Overheats in {@code episodes} from the next report on (a firmware trial's device: the rate is
   * its firmware's); {@code started} learns each episode's scheduled start, for the ground truth.
   * While an episode lasts the device has {@link FaultKind#OVERHEAT_EPISODE}.
   */
  public void overheatIn(OverheatEpisodes episodes, Consumer<Instant> started) {
    this.episodes = episodes;
    this.episodeStarted = started;
  }

  public void rollBackFirmware() {
    String current = firmware;
    firmware = previousFirmware;
    previousFirmware = current;
  }

  /**
   * Applies one {@code set_config} key; returns false when this device has no such setting.
   * Subclasses add their own keys.
   */
  public boolean configure(String key, Object value) {
    if (key.equals("reporting_interval_s") && value instanceof Number seconds) {
      reportingInterval = Duration.ofMillis(Math.max(1000, (long) (seconds.doubleValue() * 1000)));
      return true;
    }
    return false;
  }

  /** The temperature that overheating raises, in degrees above normal. */
  protected double overheat() {
    return has(FaultKind.OVERHEAT_EPISODE) ? Math.max(overheatC, EPISODE_HEAT_C) : overheatC;
  }

  protected abstract void advance(double dtSeconds);

  protected abstract void putSensors(Map<String, Object> metrics);

  /** The metric a stuck sensor freezes. */
  protected abstract String primaryMetric();

  /** The product's own error code, e.g. {@code E_COMPRESSOR_STALL}. */
  public abstract String errorCode();

  /**
   * The catalog's self-test component (see {@code run_self_test}) that holds this product's own
   * hardware, e.g. {@code actuator} for a fridge's compressor.
   */
  public abstract String mainComponent();

  public double rssi() {
    return has(FaultKind.WIFI_FLAPPING) ? -84 - random.nextDouble() * 6 : baseRssi;
  }

  public String id() {
    return id;
  }

  public DeviceType type() {
    return type;
  }

  public double uptimeSeconds() {
    return uptimeS;
  }

  public double batteryPct() {
    return batteryPct;
  }

  public double memoryFreePct() {
    return memoryFreePct;
  }

  public String firmware() {
    return firmware;
  }

  public Duration reportingInterval() {
    return reportingInterval;
  }

  protected static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  protected static double clamp(double value, double min, double max) {
    return Math.max(min, Math.min(max, value));
  }
}
