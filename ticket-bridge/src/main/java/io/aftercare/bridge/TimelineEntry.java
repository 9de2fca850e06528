package io.aftercare.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One append-only line of a ticket's timeline.
 *
 * @param kind one of the rows of {@code ticket_timeline_kinds}: transition, evidence, sla_warning,
 *     sla_breach, escalation, alarm_cleared, alarm_linked, and those each later part registers
 */
public record TimelineEntry(
    long id,
    Instant at,
    String actor,
    String kind,
    TicketStatus from,
    TicketStatus to,
    String note,
    JsonNode detail) {}
