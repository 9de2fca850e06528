package io.aftercare.platform.staff;

import java.time.Instant;

/**
 * A staff account as admins see it; never its token.
 *
 * @param disabledAt when it was disabled (its token refused until re-enabled); null when enabled
 * @param revokedAt when its token was revoked for good; null when not
 * @param expiresAt when its current token stops working unless rotated before
 */
public record StaffAccount(
    String name,
    String role,
    Instant createdAt,
    String createdBy,
    Instant disabledAt,
    Instant revokedAt,
    Instant expiresAt) {}
