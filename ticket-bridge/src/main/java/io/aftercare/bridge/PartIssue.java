package io.aftercare.bridge;

import java.time.Instant;

/**
 * One line of the parts issue log (docs/dispatch.md): which parts left the store for which case,
 * when and by whom.
 *
 * @param customerRef the case's customer reference, read from the ticket; may be null
 */
public record PartIssue(
    long id,
    long partRequestId,
    long ticketId,
    String customerRef,
    String partNumber,
    String model,
    int quantity,
    Instant issuedAt,
    String issuedBy) {}
