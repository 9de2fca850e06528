package io.aftercare.simulator.device;

import java.util.Map;

/** A smart plug: power draw follows its relay and the appliance plugged into it. */
public final class SmartPlug extends SimulatedDevice {

  private static final double STANDBY_W = 0.4;

  private final double applianceW;
  private boolean relayOn;
  private double internalC = 28;

  public SmartPlug(String id, long seed) {
    super(id, DeviceType.SMART_PLUG, seed);
    applianceW = 40 + random.nextDouble() * 1200;
    relayOn = random.nextBoolean();
  }

  @Override
  protected void advance(double dt) {
    // Someone switches the appliance on or off now and then (about every 20 minutes).
    if (random.nextDouble() < dt / 1200) {
      relayOn = !relayOn;
    }
    double loadHeatC = relayOn ? applianceW * 0.01 : 0;
    internalC += (26 + loadHeatC - internalC) * 0.1 + random.nextGaussian() * 0.1;
  }

  @Override
  protected void putSensors(Map<String, Object> metrics) {
    double power = relayOn ? applianceW * (1 + random.nextGaussian() * 0.02) : STANDBY_W;
    metrics.put("relay_on", relayOn);
    metrics.put("power_w", round(Math.max(0, power), 1));
    metrics.put("temperature_c", round(internalC + overheat(), 1));
  }

  @Override
  public boolean configure(String key, Object value) {
    if (key.equals("relay_on") && value instanceof Boolean on) {
      relayOn = on;
      return true;
    }
    return super.configure(key, value);
  }

  @Override
  protected String primaryMetric() {
    return "power_w";
  }

  @Override
  public String errorCode() {
    return "E_OVERCURRENT";
  }

  @Override
  public String mainComponent() {
    return "actuator";
  }
}
