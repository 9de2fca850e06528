package io.aftercare.diagnostics.alarm;

import io.aftercare.diagnostics.rules.DiagnosisCategory;
import io.aftercare.diagnostics.rules.Remedy;
import io.aftercare.diagnostics.rules.Severity;
import java.time.Instant;
import java.util.List;

/**
 * One alarm transition, with everything the integrator needs to persist it and to run
 * remote-fix-first: the rule's category, its remedies in the order to try them, and whether a
 * persisting fault should open a ticket.
 *
 * @param previousSeverity the severity before an ESCALATED change; otherwise equal to severity
 * @param actor the staff member for ACKNOWLEDGED and fix-verified CLEARED; {@code null} when the
 *     engine itself decided
 * @param alarm the alarm's state after the change
 */
public record AlarmChange(
    AlarmChangeType type,
    Instant at,
    Severity previousSeverity,
    String actor,
    DiagnosisCategory category,
    List<Remedy> remedies,
    boolean openTicket,
    String description,
    AlarmSnapshot alarm) {

  public String deviceId() {
    return alarm.device().id();
  }

  public String ruleId() {
    return alarm.ruleId();
  }

  public Severity severity() {
    return alarm.severity();
  }
}
