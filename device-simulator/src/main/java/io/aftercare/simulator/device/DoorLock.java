package io.aftercare.simulator.device;

import java.util.Map;

/** A battery door lock: the door opens and closes, the bolt locks behind it. */
public final class DoorLock extends SimulatedDevice {

  private boolean doorOpen;
  private boolean locked = true;
  private double ambientC;

  public DoorLock(String id, long seed) {
    super(id, DeviceType.DOOR_LOCK, seed);
    ambientC = 17 + random.nextDouble() * 6;
  }

  @Override
  protected void advance(double dt) {
    if (doorOpen) {
      // Doors do not stay open long; once closed the lock engages again.
      if (random.nextDouble() < dt / 60) {
        doorOpen = false;
        locked = true;
      }
    } else if (random.nextDouble() < dt / 3600) {
      locked = false;
      doorOpen = true;
    }
    ambientC = clamp(ambientC + random.nextGaussian() * 0.05, 5, 35);
  }

  @Override
  protected void putSensors(Map<String, Object> metrics) {
    metrics.put("door_open", doorOpen);
    metrics.put("locked", locked);
    metrics.put("temperature_c", round(ambientC + overheat(), 1));
  }

  @Override
  protected String primaryMetric() {
    return "temperature_c";
  }

  @Override
  public String errorCode() {
    return "E_MOTOR_JAM";
  }

  @Override
  public String mainComponent() {
    return "actuator";
  }
}
