package io.aftercare.bridge;

import java.time.Instant;

/**
 * A complaint as stored (docs/complaints.md); also the snapshot its events carry.
 *
 * @param ticketId the case it is about; {@code null} when standalone
 * @param owner who first took it: owns it until it is closed, through escalation (first-contact
 *     responsibility)
 * @param tier support line: 1 first, 2 second, 3 third; raised when the response is late
 * @param confirmed the customer's confirmation of the resolution as staff recorded it; {@code null}
 *     until recorded
 */
public record Complaint(
    long id,
    Long ticketId,
    String channel,
    String customerRef,
    String text,
    ComplaintStatus status,
    String owner,
    int tier,
    Instant receivedAt,
    Instant respondedAt,
    String respondedBy,
    String response,
    Instant resolvedAt,
    String resolvedBy,
    String resolution,
    Boolean confirmed,
    String confirmationComment,
    String confirmedBy,
    Instant confirmedAt,
    Instant updatedAt) {}
