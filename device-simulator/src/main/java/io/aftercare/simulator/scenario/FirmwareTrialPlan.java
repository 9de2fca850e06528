package io.aftercare.simulator.scenario;

import io.aftercare.domain.Durations;
import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.scenario.FleetPlan.PlannedDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A scenario's firmware trial expanded into devices, each with its firmware and episode rate, and
 * the ground truth per version. The devices of the versions alternate (one of each version, then
 * the next of each), so that they are provisioned and start at the same times and their exposures
 * match. Their seeds come from a {@link Random} of their own, so a trial leaves the rest of a
 * scenario's plan as it was.
 *
 * @param devices by device id, in provisioning order
 */
public record FirmwareTrialPlan(
    String model,
    String rule,
    Duration heatFor,
    Duration coolFor,
    List<TrialVersion> versions,
    Map<String, TrialDevice> devices) {

  /** A scenario without a firmware trial. */
  public static final FirmwareTrialPlan NONE =
      new FirmwareTrialPlan(null, null, Duration.ZERO, Duration.ZERO, List.of(), Map.of());

  /** Set apart from the fleet's seeds, which FleetPlanner draws from the scenario's seed itself. */
  private static final long SEED_SALT = 0x5EED_F1A3L;

  public FirmwareTrialPlan {
    versions = List.copyOf(versions);
    devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
  }

  /**
   * One version's ground truth.
   *
   * @param previousFirmware the version before it in release order; null for the first
   * @param regressed whether its episode rate is above its predecessor's
   */
  public record TrialVersion(
      String firmware,
      String previousFirmware,
      int devices,
      double episodesPerDeviceHour,
      boolean regressed) {}

  /** One trial device: what it is provisioned with and how often it overheats. */
  public record TrialDevice(PlannedDevice device, String firmware, double episodesPerDeviceHour) {}

  public static FirmwareTrialPlan of(Scenario scenario) {
    FirmwareTrial trial = scenario.firmwareTrial();
    if (trial == null) {
      return NONE;
    }
    validate(trial);
    Duration interval =
        trial.interval() == null
            ? trial.type().defaultInterval()
            : Durations.parse(trial.interval());
    List<TrialVersion> versions = new ArrayList<>();
    FirmwareTrial.Version previous = null;
    int most = 0;
    for (FirmwareTrial.Version version : trial.versions()) {
      versions.add(
          new TrialVersion(
              version.firmware(),
              previous == null ? null : previous.firmware(),
              version.devices(),
              version.episodesPerDeviceHour(),
              previous != null
                  && version.episodesPerDeviceHour() > previous.episodesPerDeviceHour()));
      previous = version;
      most = Math.max(most, version.devices());
    }
    Random random = new Random(scenario.seed() ^ SEED_SALT);
    Map<String, TrialDevice> devices = new LinkedHashMap<>();
    for (int i = 1; i <= most; i++) {
      for (FirmwareTrial.Version version : trial.versions()) {
        if (i > version.devices()) {
          continue;
        }
        String id =
            String.format(
                    Locale.ROOT,
                    "%s%s-%s-%03d",
                    scenario.idPrefix(),
                    trial.type().id(),
                    version.firmware().replaceAll("[^A-Za-z0-9]", "-"),
                    i)
                .replace('_', '-');
        PlannedDevice device =
            new PlannedDevice(id, trial.type(), trial.protocol(), interval, random.nextLong());
        devices.put(
            id, new TrialDevice(device, version.firmware(), version.episodesPerDeviceHour()));
      }
    }
    return new FirmwareTrialPlan(
        trial.model(),
        trial.rule(),
        Durations.parse(trial.heatFor()),
        Durations.parse(trial.coolFor()),
        versions,
        devices);
  }

  public Optional<TrialDevice> device(String id) {
    return Optional.ofNullable(devices.get(id));
  }

  /** The trial's devices as fleet devices, for the runner to provision and run. */
  public List<PlannedDevice> plannedDevices() {
    return devices.values().stream().map(TrialDevice::device).toList();
  }

  private static void validate(FirmwareTrial trial) {
    if (trial.model() == null || trial.rule() == null) {
      throw new IllegalArgumentException("firmwareTrial needs a model and a rule");
    }
    if (trial.heatFor() == null || trial.coolFor() == null) {
      throw new IllegalArgumentException("firmwareTrial needs heatFor and coolFor");
    }
    if (!SimulatedDevice.supports(trial.type(), FaultKind.OVERHEAT_EPISODE)) {
      throw new IllegalArgumentException(
          "firmwareTrial devices must be cameras or hubs, not " + trial.type().id());
    }
    if (trial.versions().size() < 2) {
      throw new IllegalArgumentException("firmwareTrial needs at least two versions to compare");
    }
    Set<String> seen = new HashSet<>();
    for (FirmwareTrial.Version version : trial.versions()) {
      if (version.firmware() == null || !seen.add(version.firmware())) {
        throw new IllegalArgumentException(
            "firmwareTrial versions need distinct firmware names: " + version.firmware());
      }
      if (version.devices() < 1 || version.episodesPerDeviceHour() < 0) {
        throw new IllegalArgumentException(
            "firmwareTrial version " + version.firmware() + " needs devices and a rate ≥ 0");
      }
    }
  }
}
