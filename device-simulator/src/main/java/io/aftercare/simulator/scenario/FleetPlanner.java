package io.aftercare.simulator.scenario;

import io.aftercare.domain.Durations;
import io.aftercare.simulator.command.CommandHandler;
import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.scenario.FleetPlan.PlannedDevice;
import io.aftercare.simulator.scenario.FleetPlan.PlannedFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Expands a scenario into devices and faults. Everything random is drawn from one {@link Random}
 * seeded by the scenario in a fixed order, so a seed always yields the same fleet and ground truth.
 */
public final class FleetPlanner {

  private FleetPlanner() {}

  public static FleetPlan plan(Scenario scenario) {
    Random random = new Random(scenario.seed());
    List<PlannedDevice> devices = new ArrayList<>();
    for (Scenario.FleetGroup group : scenario.fleet()) {
      Duration interval =
          group.interval() == null
              ? group.type().defaultInterval()
              : Durations.parse(group.interval());
      for (int i = 1; i <= group.count(); i++) {
        String id =
            String.format(Locale.ROOT, "%s%s-%03d", scenario.idPrefix(), group.type().id(), i)
                .replace('_', '-');
        devices.add(
            new PlannedDevice(id, group.type(), group.protocol(), interval, random.nextLong()));
      }
    }
    HomePlanner.Homes homes = HomePlanner.plan(scenario, random);
    devices.addAll(homes.devices());
    // After the fleet's own devices, so that a trial changes none of their seeds.
    devices.addAll(FirmwareTrialPlan.of(scenario).plannedDevices());
    List<PlannedFault> faults = new ArrayList<>();
    for (Scenario.FaultSpec spec : scenario.faults()) {
      Optional<String> cure = Optional.ofNullable(spec.curedBy());
      validateCure(spec.fault(), cure);
      Duration start =
          spec.startAfter() == null ? Duration.ZERO : Durations.parse(spec.startAfter());
      for (PlannedDevice device : select(scenario, spec, devices, random)) {
        faults.add(new PlannedFault(device.id(), spec.fault(), start, cure));
      }
    }
    return new FleetPlan(
        devices, faults, homes.homes(), HomePlanner.outages(scenario, homes.homes(), random));
  }

  private static List<PlannedDevice> select(
      Scenario scenario, Scenario.FaultSpec spec, List<PlannedDevice> devices, Random random) {
    Scenario.Selector selector = spec.select();
    if (selector == null) {
      throw new IllegalArgumentException("fault " + spec.fault().id() + " selects no devices");
    }
    List<PlannedDevice> chosen;
    if (selector.ids() != null) {
      Map<String, PlannedDevice> byId =
          devices.stream().collect(Collectors.toMap(PlannedDevice::id, Function.identity()));
      chosen = new ArrayList<>();
      for (String id : selector.ids()) {
        PlannedDevice device = byId.get(scenario.idPrefix() + id);
        if (device == null) {
          throw new IllegalArgumentException("fault selects unknown device " + id);
        }
        chosen.add(device);
      }
    } else {
      List<PlannedDevice> candidates = new ArrayList<>();
      for (PlannedDevice device : devices) {
        if ((selector.type() == null || selector.type() == device.type())
            && SimulatedDevice.supports(device.type(), spec.fault())) {
          candidates.add(device);
        }
      }
      Collections.shuffle(candidates, random);
      int count = selector.count() == null ? 1 : selector.count();
      if (count > candidates.size()) {
        throw new IllegalArgumentException(
            "fault "
                + spec.fault().id()
                + " wants "
                + count
                + " devices, only "
                + candidates.size()
                + " can have it");
      }
      chosen = candidates.subList(0, count);
    }
    for (PlannedDevice device : chosen) {
      if (!SimulatedDevice.supports(device.type(), spec.fault())) {
        throw new IllegalArgumentException(
            device.id() + " (" + device.type().id() + ") cannot have " + spec.fault().id());
      }
    }
    return chosen;
  }

  private static void validateCure(FaultKind fault, Optional<String> cure) {
    if (cure.isPresent() && !CommandHandler.CATALOG.contains(cure.get())) {
      throw new IllegalArgumentException("curedBy " + cure.get() + " is not a catalog command");
    }
    if (fault == FaultKind.OFFLINE && cure.isPresent()) {
      // An offline device cannot receive the command that would cure it.
      throw new IllegalArgumentException("an offline fault cannot be cured remotely");
    }
  }
}
