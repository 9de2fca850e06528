package io.aftercare.simulator.scenario;

import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.link.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A scenario expanded into concrete devices, homes, faults and outages; the same seed gives the
 * same plan.
 */
public record FleetPlan(
    List<PlannedDevice> devices,
    List<PlannedFault> faults,
    List<PlannedHome> homes,
    List<PlannedOutage> outages) {

  public FleetPlan {
    devices = List.copyOf(devices);
    faults = List.copyOf(faults);
    homes = List.copyOf(homes);
    outages = List.copyOf(outages);
  }

  /** A fleet without homes. */
  public FleetPlan(List<PlannedDevice> devices, List<PlannedFault> faults) {
    this(devices, faults, List.of(), List.of());
  }

  /** The home a device belongs to, if any. */
  public Optional<PlannedHome> homeOf(String deviceId) {
    return homes.stream().filter(h -> h.deviceIds().contains(deviceId)).findFirst();
  }

  /** One device of the fleet, with the seed of its own random values. */
  public record PlannedDevice(
      String id, DeviceType type, Protocol protocol, Duration interval, long seed) {}

  /** One fault on one device: the ground truth that detection is scored against. */
  public record PlannedFault(
      String deviceId, FaultKind fault, Duration startAfter, Optional<String> curedBy) {}

  /**
   * One home: its customer and region as the platform is told at provisioning ({@code homeId},
   * {@code customerRef}, {@code region}), and its devices.
   */
  public record PlannedHome(
      String id, String customerRef, Optional<String> region, List<String> deviceIds) {

    public PlannedHome {
      deviceIds = List.copyOf(deviceIds);
    }
  }

  /**
   * An outage of whole homes, from {@code startAfter} for {@code lasts}.
   *
   * @param region the region all of whose homes it hits; empty for an outage of single homes
   * @param deviceIds every device of those homes
   */
  public record PlannedOutage(
      OutageKind kind,
      Optional<String> region,
      List<String> homeIds,
      List<String> deviceIds,
      Duration startAfter,
      Duration lasts) {

    public PlannedOutage {
      homeIds = List.copyOf(homeIds);
      deviceIds = List.copyOf(deviceIds);
    }

    public Duration endsAfter() {
      return startAfter.plus(lasts);
    }
  }
}
