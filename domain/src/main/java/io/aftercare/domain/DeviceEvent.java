package io.aftercare.domain;

import java.time.Instant;

/**
 * Something a device reports as having happened: an error, a reboot, a state change.
 *
 * @param code a machine-readable code such as {@code E_COMPRESSOR_STALL}, empty when absent
 * @param dataJson the event's free-form {@code data} object as canonical JSON, or {@code null}
 */
public record DeviceEvent(
    String deviceId, Instant ts, String type, String code, String message, String dataJson) {}
