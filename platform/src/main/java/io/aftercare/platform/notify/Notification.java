package io.aftercare.platform.notify;

import java.time.Instant;

/**
 * A notification as stored: queued, sent, deduplicated, sent inside a digest, or failed.
 *
 * @param target {@code webhook} for Slack, the comma-separated recipients for e-mail
 * @param digestId the digest it was sent in, or null
 */
public record Notification(
    long id,
    String rule,
    String channel,
    String target,
    String kind,
    String subject,
    String severity,
    String title,
    String body,
    Instant createdAt,
    String status,
    int attempts,
    Instant sentAt,
    String lastError,
    Long digestId) {}
