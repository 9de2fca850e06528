package io.aftercare.bridge;

import java.time.Instant;

/**
 * A visit or remote session booked with a technician for a ticket (docs/dispatch.md).
 *
 * @param addressRef a reference into the customer system's addresses; null for a remote session
 * @param status confirmed or cancelled
 * @param cancelledAt when it was cancelled or replaced by a rescheduled one; null while confirmed
 */
public record Appointment(
    long id,
    long ticketId,
    String technician,
    Instant startsAt,
    Instant endsAt,
    String addressRef,
    String status,
    Instant createdAt,
    String createdBy,
    Instant cancelledAt) {}
