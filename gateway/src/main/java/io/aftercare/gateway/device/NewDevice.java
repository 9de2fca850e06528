package io.aftercare.gateway.device;

/** A device to provision; {@code model}, {@code firmware} and {@code homeId} are optional. */
public record NewDevice(String id, String type, String model, String firmware, String homeId) {}
