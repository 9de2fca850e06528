package io.aftercare.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One append-only line of a ticket's timeline.
 *
 * @param kind transition, evidence, sla_warning, sla_breach, escalation, alarm_cleared or
 *     alarm_linked
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
