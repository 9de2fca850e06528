package io.aftercare.simulator.scenario;

import io.aftercare.simulator.device.DeviceType;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.link.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A scenario expanded into concrete devices and faults; the same seed gives the same plan. */
public record FleetPlan(List<PlannedDevice> devices, List<PlannedFault> faults) {

  public FleetPlan {
    devices = List.copyOf(devices);
    faults = List.copyOf(faults);
  }

  /** One device of the fleet, with the seed of its own random values. */
  public record PlannedDevice(
      String id, DeviceType type, Protocol protocol, Duration interval, long seed) {}

  /** One fault on one device: the ground truth that detection is scored against. */
  public record PlannedFault(
      String deviceId, FaultKind fault, Duration startAfter, Optional<String> curedBy) {}
}
