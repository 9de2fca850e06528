package io.aftercare.platform.audit;

import java.time.Instant;

/**
 * One page of the audit trail, newest first: the filters ({@code null} when not asked for; the time
 * range is [from, to)), where the page starts (entries older than {@code beforeId}, or the newest
 * when {@code null}) and how many rows.
 */
public record AuditQuery(
    String actor,
    String action,
    String target,
    Instant from,
    Instant to,
    Long beforeId,
    int limit) {}
