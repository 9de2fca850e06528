package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.rules.DiagnosisCategory;
import io.aftercare.diagnostics.rules.Remedy;
import io.aftercare.diagnostics.rules.Severity;
import io.aftercare.platform.remediation.RemediationState;
import java.time.Instant;
import java.util.List;

/**
 * An open alarm's row as remote-fix-first needs it: identity, what to tell the ticket bridge, and
 * the remediation progress.
 *
 * @param step the index in {@code remedies} of the remedy tried last (or being tried)
 * @param commandId the command the alarm waits on while {@link RemediationState#TRYING}
 * @param deadline when a {@link RemediationState#VERIFYING} fix counts as verified
 */
public record OpenAlarm(
    long id,
    String deviceId,
    String ruleId,
    Severity severity,
    DiagnosisCategory category,
    RemediationState state,
    int step,
    String commandId,
    Instant deadline,
    boolean openTicket,
    boolean ticketRequested,
    List<Remedy> remedies) {

  public OpenAlarm {
    remedies = List.copyOf(remedies);
  }

  public OpenAlarm withRemediation(
      RemediationState state, int step, String commandId, Instant deadline) {
    return new OpenAlarm(
        id,
        deviceId,
        ruleId,
        severity,
        category,
        state,
        step,
        commandId,
        deadline,
        openTicket,
        ticketRequested,
        remedies);
  }

  public OpenAlarm withState(RemediationState state) {
    return withRemediation(state, step, commandId, null);
  }

  public OpenAlarm withTicketRequested() {
    return new OpenAlarm(
        id,
        deviceId,
        ruleId,
        severity,
        category,
        state,
        step,
        commandId,
        deadline,
        openTicket,
        true,
        remedies);
  }
}
