package io.aftercare.simulator.device;

/** Creates the model class for a device type. */
public final class Devices {

  private Devices() {}

  public static SimulatedDevice create(String id, DeviceType type, long seed) {
    return switch (type) {
      case THERMOSTAT -> new Thermostat(id, seed);
      case SMART_PLUG -> new SmartPlug(id, seed);
      case DOOR_LOCK -> new DoorLock(id, seed);
      case CAMERA -> new Camera(id, seed);
      case FRIDGE -> new Fridge(id, seed);
      case HUB -> new Hub(id, seed);
    };
  }
}
