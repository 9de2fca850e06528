package io.aftercare.platform.consent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An owner's support session: staff may send commands of {@code commandClasses} to {@code devices}
 * from {@code grantedAt} until {@code expiresAt}, unless revoked before.
 *
 * @param caseId the case whose link granted it
 * @param status {@code active}, {@code expired} or {@code revoked}, at the time of reading
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SupportSession(
    String id,
    long caseId,
    List<String> devices,
    List<CommandClass> commandClasses,
    Instant grantedAt,
    Instant expiresAt,
    Instant revokedAt,
    String status) {}
