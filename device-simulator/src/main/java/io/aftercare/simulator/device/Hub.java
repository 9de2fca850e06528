package io.aftercare.simulator.device;

import java.util.Map;

/** A Zigbee hub: bridges the household's small devices to Wi-Fi. */
public final class Hub extends SimulatedDevice {

  private int connectedDevices;
  private double cpuC = 44;

  public Hub(String id, long seed) {
    super(id, DeviceType.HUB, seed);
    connectedDevices = 4 + random.nextInt(20);
  }

  @Override
  protected void advance(double dt) {
    cpuC += (45 - cpuC) * 0.1 + random.nextGaussian() * 0.3;
    if (random.nextDouble() < dt / 7200) {
      connectedDevices = Math.max(1, connectedDevices + (random.nextBoolean() ? 1 : -1));
    }
  }

  @Override
  protected void putSensors(Map<String, Object> metrics) {
    metrics.put("connected_devices", connectedDevices);
    metrics.put("cpu_temp_c", round(cpuC + overheat() * 1.5, 1));
    metrics.put("power_w", round(2.6 + random.nextGaussian() * 0.1, 2));
  }

  @Override
  protected String primaryMetric() {
    return "cpu_temp_c";
  }

  @Override
  public String errorCode() {
    return "E_ZIGBEE_TIMEOUT";
  }

  @Override
  public String mainComponent() {
    return "radio";
  }
}
