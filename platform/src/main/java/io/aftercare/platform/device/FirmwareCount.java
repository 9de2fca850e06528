package io.aftercare.platform.device;

/**
 * How many devices in service of one model run one firmware version; {@code model} or {@code
 * firmware} is null when not known.
 */
public record FirmwareCount(String model, String firmware, long devices) {}
