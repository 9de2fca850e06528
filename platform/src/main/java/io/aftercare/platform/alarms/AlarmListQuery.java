package io.aftercare.platform.alarms;

import java.time.Instant;

/**
 * One page of the alarm queue, newest first: the filters ({@code null} when not asked for; status
 * {@code open} means active or acknowledged; {@code snoozed} true for alarms snoozed at {@code
 * now}, false for the others), where the page starts (alarms older than {@code beforeId}, or the
 * newest when {@code null}) and how many rows.
 */
public record AlarmListQuery(
    String status,
    String deviceId,
    String severity,
    String ruleId,
    String category,
    String remediationState,
    String assignee,
    Boolean snoozed,
    Instant now,
    Long beforeId,
    int limit) {}
