package io.aftercare.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One append-only line of an incident's timeline or a complaint's record.
 *
 * @param kind what happened, e.g. declared, transition, note, sla_warning, sla_breach, escalation
 */
public record DeskEntry(
    long id, Instant at, String actor, String kind, String note, JsonNode detail) {}
