package io.aftercare.bridge;

import java.time.Instant;

/**
 * A service ticket as stored. It names the customer by reference only; no personal data is kept.
 *
 * @param tier support line working the case: 1, 2 or 3
 * @param owner first-contact owner: who acknowledged the case; stays through escalation
 * @param channel how the repair is done: remote or on_site (set at dispatch)
 * @param externalRef the helpdesk's own key for the case (e.g. a Jira issue key), once known
 * @param source detected (opened for an alarm) or reported (opened by staff for a customer)
 * @param intakeChannel, serviceType, symptom what the customer reported; null for detected cases
 */
public record Ticket(
    long id,
    String deviceId,
    String ruleId,
    Category category,
    Severity severity,
    Priority priority,
    TicketStatus status,
    String deviceType,
    String customerRef,
    String customerTier,
    int tier,
    String owner,
    String assignee,
    String channel,
    Integer satisfaction,
    String reason,
    String externalRef,
    Instant openedAt,
    Instant updatedAt,
    TicketEvidence evidence,
    String source,
    String intakeChannel,
    String serviceType,
    String symptom) {}
