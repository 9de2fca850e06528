package io.aftercare.simulator.command;

import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.FaultKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code run_self_test} report: one verdict per component, failing exactly the components that
 * the injected faults damage, so diagnostics can be checked against the ground truth.
 */
final class SelfTest {

  Map<String, Object> run(SimulatedDevice device) {
    Map<String, Object> components = new LinkedHashMap<>();
    components.put(
        "sensor", verdict(device.has(FaultKind.STUCK_SENSOR) || device.has(FaultKind.OVERHEATING)));
    components.put("wifi", verdict(device.has(FaultKind.WIFI_FLAPPING)));
    components.put("memory", verdict(device.has(FaultKind.MEMORY_LEAK)));
    components.put("firmware", verdict(device.has(FaultKind.REBOOT_LOOP)));
    if (device.type().batteryPowered()) {
      components.put(
          "battery", verdict(device.has(FaultKind.BATTERY_DRAIN) || device.batteryPct() < 10));
    } else {
      components.put("power", verdict(device.has(FaultKind.ABNORMAL_POWER)));
    }
    components.put(
        device.mainComponent(),
        verdict(device.has(FaultKind.ERROR_BURST) || device.has(FaultKind.OVERHEATING)));
    boolean allPass = components.values().stream().allMatch("pass"::equals);
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("result", allPass ? "pass" : "fail");
    output.put("components", components);
    return output;
  }

  private static String verdict(boolean failing) {
    return failing ? "fail" : "pass";
  }
}
