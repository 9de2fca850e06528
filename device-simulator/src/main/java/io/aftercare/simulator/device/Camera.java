package io.aftercare.simulator.device;

import java.util.Map;

/**
 * An indoor camera: records continuously, so storage fills and is recycled, and its CPU runs warm.
 */
public final class Camera extends SimulatedDevice {

  private double cpuC = 50;
  private double recordingFreePct;

  public Camera(String id, long seed) {
    super(id, DeviceType.CAMERA, seed);
    recordingFreePct = 30 + random.nextDouble() * 60;
  }

  @Override
  protected void advance(double dt) {
    cpuC += (52 - cpuC) * 0.1 + random.nextGaussian() * 0.4;
    // Loop recording: the card fills slowly and the oldest footage is deleted at 10 % free.
    recordingFreePct -= dt * 0.001;
    if (recordingFreePct < 10) {
      recordingFreePct = 60;
    }
  }

  @Override
  protected void putSensors(Map<String, Object> metrics) {
    metrics.put("cpu_temp_c", round(cpuC + overheat() * 1.5, 1));
    metrics.put("power_w", round(4.2 + random.nextGaussian() * 0.2, 2));
  }

  @Override
  protected String primaryMetric() {
    return "cpu_temp_c";
  }

  @Override
  public String errorCode() {
    return "E_STREAM_FAIL";
  }

  @Override
  public String mainComponent() {
    return "sensors";
  }
}
