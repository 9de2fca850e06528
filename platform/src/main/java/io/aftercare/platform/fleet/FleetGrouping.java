package io.aftercare.platform.fleet;

/** What the fleet health trend groups devices and alarms by; both tables name the column alike. */
public enum FleetGrouping {
  MODEL("model"),
  FIRMWARE("firmware");

  private final String column;

  FleetGrouping(String column) {
    this.column = column;
  }

  /** The column of {@code devices} and {@code alarms} holding the group's key. */
  String column() {
    return column;
  }
}
