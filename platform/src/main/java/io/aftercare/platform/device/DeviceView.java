package io.aftercare.platform.device;

import java.time.Instant;
import java.time.LocalDate;

/**
 * What staff see of a device: identity, attributes, service attributes and connectivity.
 *
 * @param region the service region, or {@code null}
 * @param serviceState active, maintenance or decommissioned ({@link ServiceState})
 * @param transport the device's own transport policy ({@link DeviceTransport}), or {@code null}
 *     when it follows the fleet default
 * @param hubId the device it sits behind ({@link HubAssignment}), or {@code null}
 */
public record DeviceView(
    String id,
    String type,
    String model,
    String firmware,
    String homeId,
    String customerRef,
    String customerTier,
    LocalDate soldOn,
    String region,
    String serviceState,
    Instant createdAt,
    boolean online,
    String protocol,
    Instant lastSeenAt,
    Instant onlineChangedAt,
    String transport,
    String hubId) {}
