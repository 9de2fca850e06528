package io.aftercare.simulator.device;

import java.util.Map;

/**
 * A fridge-freezer: the compressor cycles on a thermostat hysteresis, drawing about 95 W while it
 * runs. Overheating stands for a stalled compressor: it runs but no longer cools.
 */
public final class Fridge extends SimulatedDevice {

  private static final double FRIDGE_ON_ABOVE_C = 5;
  private static final double FRIDGE_OFF_BELOW_C = 3;

  private double fridgeC;
  private double freezerC = -18;
  private boolean compressorOn;
  private boolean doorOpen;

  public Fridge(String id, long seed) {
    super(id, DeviceType.FRIDGE, seed);
    fridgeC = 3 + random.nextDouble() * 2;
  }

  @Override
  protected void advance(double dt) {
    if (fridgeC > FRIDGE_ON_ABOVE_C) {
      compressorOn = true;
    } else if (fridgeC < FRIDGE_OFF_BELOW_C) {
      compressorOn = false;
    }
    doorOpen = random.nextDouble() < 0.03;
    double warming = doorOpen ? 0.02 : 0.004;
    double cooling = compressorOn ? 0.012 : 0;
    fridgeC += (warming - cooling) * dt + random.nextGaussian() * 0.02;
    freezerC += ((compressorOn ? -0.01 : 0.004) * dt) + random.nextGaussian() * 0.02;
    freezerC = clamp(freezerC, -24, -14);
  }

  @Override
  protected void putSensors(Map<String, Object> metrics) {
    metrics.put("fridge_temp_c", round(fridgeC + overheat(), 2));
    metrics.put("freezer_temp_c", round(freezerC + overheat() * 0.8, 2));
    metrics.put("compressor_on", compressorOn || overheat() > 0);
    metrics.put("door_open", doorOpen);
    double power = compressorOn || overheat() > 0 ? 95 : 4;
    metrics.put("power_w", round(power + random.nextGaussian(), 1));
  }

  @Override
  protected String primaryMetric() {
    return "fridge_temp_c";
  }

  @Override
  public String errorCode() {
    return "E_COMPRESSOR_STALL";
  }

  @Override
  public String mainComponent() {
    return "actuator";
  }
}
