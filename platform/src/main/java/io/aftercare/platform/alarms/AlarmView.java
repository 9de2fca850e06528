package io.aftercare.platform.alarms;

import io.aftercare.platform.remediation.RemediationState;
import java.time.Instant;
import java.util.List;

/**
 * An alarm as staff see it, with what remote-fix-first did about it.
 *
 * @param details what the rule added (a forecast rule's forecast); {@code null} for none
 */
public record AlarmView(
    long id,
    String deviceId,
    String ruleId,
    String severity,
    String status,
    String category,
    String description,
    Instant raisedAt,
    Instant lastSeenAt,
    Instant clearedAt,
    String clearedBy,
    long count,
    Double lastValue,
    Double peakValue,
    Instant acknowledgedAt,
    String acknowledgedBy,
    String resolution,
    Remediation remediation,
    boolean ticketRequested,
    String assignee,
    Instant snoozedUntil,
    String ackNote,
    AlarmDetails details) {

  /** Remote-fix-first progress and the remedies sent so far. */
  public record Remediation(RemediationState state, List<RemedyAction> actions) {}

  /** One remedy sent to the device and its outcome so far. */
  public record RemedyAction(String command, String commandId, String status, Instant at) {}
}
