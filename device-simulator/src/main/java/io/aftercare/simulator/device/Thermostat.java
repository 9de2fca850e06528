package io.aftercare.simulator.device;

import java.util.Map;

/** A battery thermostat: room temperature follows the setpoint with some lag and noise. */
public final class Thermostat extends SimulatedDevice {

  /** Time constant of the room warming or cooling towards the setpoint. */
  private static final double ROOM_TAU_S = 600;

  private double setpointC = 21;
  private double roomC;
  private double humidityPct;

  public Thermostat(String id, long seed) {
    super(id, DeviceType.THERMOSTAT, seed);
    roomC = 18 + random.nextDouble() * 5;
    humidityPct = 35 + random.nextDouble() * 20;
  }

  @Override
  protected void advance(double dt) {
    roomC += (setpointC - roomC) * (1 - Math.exp(-dt / ROOM_TAU_S)) + random.nextGaussian() * 0.05;
    humidityPct = clamp(humidityPct + random.nextGaussian() * 0.3, 20, 80);
  }

  @Override
  protected void putSensors(Map<String, Object> metrics) {
    metrics.put("temperature_c", round(roomC + overheat(), 2));
    metrics.put("setpoint_c", setpointC);
    metrics.put("humidity_pct", round(humidityPct, 1));
  }

  @Override
  public boolean configure(String key, Object value) {
    if (key.equals("setpoint_c") && value instanceof Number c && c.doubleValue() >= 5) {
      setpointC = clamp(c.doubleValue(), 5, 30);
      return true;
    }
    return super.configure(key, value);
  }

  @Override
  protected String primaryMetric() {
    return "temperature_c";
  }

  @Override
  public String errorCode() {
    return "E_SENSOR_READ";
  }

  @Override
  public String mainComponent() {
    return "sensors";
  }
}
