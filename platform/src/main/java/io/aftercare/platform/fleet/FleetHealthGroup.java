package io.aftercare.platform.fleet;

/**
 * One model or firmware on one day: {@code key} null for devices that record none and for alarms
 * raised before the platform recorded it. {@code alarmsPer100Devices} is null when no device of the
 * group was in service that day.
 */
public record FleetHealthGroup(
    String key,
    long devices,
    long alarmsRaised,
    Double alarmsPer100Devices,
    long devicesWithAlarm) {}
