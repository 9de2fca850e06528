package io.aftercare.gateway.device;

import java.time.Instant;

/** What staff see of a device: identity, attributes and connectivity. */
public record DeviceView(
    String id,
    String type,
    String model,
    String firmware,
    String homeId,
    Instant createdAt,
    boolean online,
    String protocol,
    Instant lastSeenAt,
    Instant onlineChangedAt) {}
