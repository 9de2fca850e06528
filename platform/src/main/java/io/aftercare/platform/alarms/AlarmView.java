package io.aftercare.platform.alarms;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.remediation.RemediationState;
import java.time.Instant;
import java.util.List;

/**
 * An alarm as staff see it, with what remote-fix-first did about it.
 *
 * @param details what the rule added (a forecast rule's forecast); {@code null} for none
 * @param homeAlarmId the home alarm that explains it (a home outage); {@code null} for none
 * @param incidentId the fleet incident that explains it (many homes offline together); {@code null}
 *     for none
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
    AlarmDetails details,
    Long homeAlarmId,
    Long incidentId) {

  /**
   * Remote-fix-first progress and the remedies sent so far.
   *
   * @param run when the rule names a playbook, every event of its steps in order (sent, result,
   *     skipped with the readings checked, fix failed); empty otherwise
   */
  public record Remediation(
      RemediationState state, List<RemedyAction> actions, List<PlaybookEvent> run) {}

  /**
   * One event of a playbook run.
   *
   * @param type remedy_sent, remedy_result, remedy_not_sent, step_skipped or fix_failed
   * @param detail the event as stored: the command and its id, a status, a reason, the readings a
   *     precondition was checked on
   */
  public record PlaybookEvent(String type, String step, Instant at, JsonNode detail) {}

  /** One remedy sent to the device and its outcome so far. */
  public record RemedyAction(String command, String commandId, String status, Instant at) {}
}
