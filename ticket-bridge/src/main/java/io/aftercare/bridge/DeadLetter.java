package io.aftercare.bridge;

import java.time.Instant;

/** An outbox event that could not be delivered within the retry horizon, or was refused. */
public record DeadLetter(
    long id,
    String eventId,
    long ticketId,
    String type,
    int attempts,
    String lastError,
    Instant createdAt,
    Instant deadAt) {}
