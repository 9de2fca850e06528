package io.aftercare.platform.device;

import java.time.Instant;

/**
 * A device went online or offline: when, over which protocol and, for a disconnection, why (as the
 * channel recorded it).
 */
public record ConnectivityChange(Instant ts, boolean online, String protocol, String reason) {}
