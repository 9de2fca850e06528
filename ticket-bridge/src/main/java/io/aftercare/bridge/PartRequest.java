package io.aftercare.bridge;

import java.time.Instant;

/**
 * Spare parts a ticket waits for (docs/dispatch.md).
 *
 * @param model the part's model, when the part number alone does not say it; may be null
 * @param status open until the parts store issues it, then issued
 * @param issuedAt null while open
 */
public record PartRequest(
    long id,
    long ticketId,
    String partNumber,
    String model,
    int quantity,
    String status,
    Instant requestedAt,
    String requestedBy,
    Instant issuedAt) {}
