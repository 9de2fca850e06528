package io.aftercare.simulator.device;

import java.util.Map;

/** A battery door lock: the door opens and closes, the bolt locks behind it. */
public final class DoorLock extends SimulatedDevice {

  private boolean doorOpen;
  private boolean locked = true;
  private double ambientC;
  // set_config auto_lock_s: how long the bolt waits after the door closed; 0 locks at once.
  private double autoLockSeconds;
  private double closedUnlockedSeconds;

  public DoorLock(String id, long seed) {
    super(id, DeviceType.DOOR_LOCK, seed);
    ambientC = 17 + random.nextDouble() * 6;
  }

  @Override
  protected void advance(double dt) {
    if (doorOpen) {
      // Doors do not stay open long; once closed the lock engages again, after its auto-lock delay.
      if (random.nextDouble() < dt / 60) {
        doorOpen = false;
        closedUnlockedSeconds = 0;
        locked = autoLockSeconds == 0;
      }
    } else if (!locked) {
      closedUnlockedSeconds += dt;
      locked = closedUnlockedSeconds >= autoLockSeconds;
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
  public boolean configure(String key, Object value) {
    if (key.equals("auto_lock_s") && value instanceof Number seconds) {
      autoLockSeconds = Math.max(0, seconds.doubleValue());
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
    return "E_MOTOR_JAM";
  }

  @Override
  public String mainComponent() {
    return "actuator";
  }
}
