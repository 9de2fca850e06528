package io.aftercare.bridge;

import java.time.Instant;
import java.util.List;

/**
 * An incident as stored (docs/incidents.md); also the snapshot its events carry.
 *
 * @param tier support line working it: 1 first, 2 second, 3 third; each breach raises it
 * @param origin {@code declared} by staff, or {@code detected} by the diagnostics engine (a fleet
 *     outage, docs/diagnostics.md)
 * @param deviceIds the affected devices
 * @param customerRefs the affected customers
 * @param review the post-incident report; {@code null} until written
 */
public record Incident(
    long id,
    IncidentLevel level,
    String title,
    String description,
    IncidentStatus status,
    int tier,
    String declaredBy,
    String origin,
    Instant declaredAt,
    Instant respondedAt,
    Instant firstHandledAt,
    Instant resolvedAt,
    Instant closedAt,
    IncidentReview review,
    String reviewedBy,
    Instant reviewedAt,
    Instant updatedAt,
    List<String> deviceIds,
    List<String> customerRefs) {}
