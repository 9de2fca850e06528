package io.aftercare.bridge;

import java.time.Instant;

/**
 * An event waiting in the outbox.
 *
 * @param payloadJson the exact body to send (the signature covers these bytes)
 * @param retrySince start of the retry horizon: when written or last re-driven
 * @param ticketId the ticket the event is about; {@code null} for an incident or complaint event
 * @param externalRef the helpdesk's key for the ticket, once an earlier event created it there
 */
public record OutboxEvent(
    long id,
    String eventId,
    Long ticketId,
    String type,
    String payloadJson,
    int attempts,
    Instant retrySince,
    String externalRef) {}
