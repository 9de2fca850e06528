package io.aftercare.bridge;

import java.time.Instant;

/**
 * An outbox event that could not be delivered within the retry horizon, or was refused.
 *
 * @param ticketId the ticket the event is about; {@code null} for an incident or complaint event
 */
public record DeadLetter(
    long id,
    String eventId,
    Long ticketId,
    String type,
    int attempts,
    String lastError,
    Instant createdAt,
    Instant deadAt) {}
