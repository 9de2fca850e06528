package io.aftercare.bridge;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A quote as stored: what was offered, and the customer's decision once made.
 *
 * @param status pending, accepted, rejected or superseded (a newer quote replaced it undecided)
 * @param decidedBy {@code customer} (through the link) or {@code helpdesk:<agent>}
 */
public record Quote(
    long id,
    long ticketId,
    String status,
    String currency,
    List<QuoteRequest.Line> lines,
    BigDecimal labour,
    int estimatedMinutes,
    BigDecimal total,
    Instant createdAt,
    String createdBy,
    Instant decidedAt,
    String decidedBy,
    String decisionComment) {}
