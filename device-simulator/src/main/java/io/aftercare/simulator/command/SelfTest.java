package io.aftercare.simulator.command;

import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.FaultKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code run_self_test} report: one verdict per component, named as the command catalog names
 * them (its {@code component} parameter), failing exactly the components that the injected faults
 * damage, so diagnostics can be checked against the ground truth.
 */
final class SelfTest {

  /** The catalog's value for "every component". */
  static final String ALL = "all";

  /**
   * @param component the catalog component to test, or {@link #ALL}
   */
  Map<String, Object> run(SimulatedDevice device, String component) {
    Map<String, Boolean> failing = new LinkedHashMap<>();
    failing.put("sensors", device.has(FaultKind.STUCK_SENSOR) || device.has(FaultKind.OVERHEATING));
    failing.put("radio", device.has(FaultKind.WIFI_FLAPPING));
    failing.put("storage", false);
    failing.put("memory", device.has(FaultKind.MEMORY_LEAK));
    failing.put("firmware", device.has(FaultKind.REBOOT_LOOP));
    failing.put(
        "power",
        device.type().batteryPowered()
            ? device.has(FaultKind.BATTERY_DRAIN) || device.batteryPct() < 10
            : device.has(FaultKind.ABNORMAL_POWER));
    failing.put("actuator", false);
    // The product's own hardware sits in one of the components above (a hub's Zigbee radio).
    failing.merge(
        device.mainComponent(),
        device.has(FaultKind.ERROR_BURST) || device.has(FaultKind.OVERHEATING),
        Boolean::logicalOr);
    Map<String, Object> components = new LinkedHashMap<>();
    failing.forEach(
        (name, failed) -> {
          if (ALL.equals(component) || name.equals(component)) {
            components.put(name, failed ? "fail" : "pass");
          }
        });
    boolean allPass = components.values().stream().allMatch("pass"::equals);
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("result", allPass ? "pass" : "fail");
    output.put("components", components);
    return output;
  }
}
