package io.aftercare.platform.fleet.firmware;

/** How long the devices of one model ran one firmware version within the period. */
public record VersionExposure(String model, String firmware, long devices, double deviceDays) {}
