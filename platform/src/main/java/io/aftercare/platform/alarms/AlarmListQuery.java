package io.aftercare.platform.alarms;

/**
 * One page of the alarm queue, newest first: the filters ({@code null} when not asked for; status
 * {@code open} means active or acknowledged), where the page starts (alarms older than {@code
 * beforeId}, or the newest when {@code null}) and how many rows.
 */
public record AlarmListQuery(
    String status,
    String deviceId,
    String severity,
    String ruleId,
    String category,
    String remediationState,
    Long beforeId,
    int limit) {}
