package io.aftercare.platform.alarms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.PlaybookStep;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.remediation.AlarmDecisions;
import io.aftercare.platform.remediation.ExpectedOutcome;
import io.aftercare.platform.remediation.RemediationPolicy;
import java.time.Instant;
import java.util.Optional;

/**
 * A remedy's verification window passed without the fault coming back: the engine that holds the
 * device closes the alarm as fixed and forgets the rule's old evidence. A playbook step with an
 * expected outcome ({@code expect}) must also see it hold on the window's telemetry; if it does
 * not, the fix failed and the playbook moves on.
 */
final class FixVerification {

  private final Jdbc jdbc;
  private final AlarmChangeStore store;
  private final AlarmDecisions decisions;
  private final RemediationPolicy policy;
  private final ExpectedOutcome expectedOutcome = new ExpectedOutcome(new ConditionCompiler());

  FixVerification(
      Jdbc jdbc, AlarmChangeStore store, AlarmDecisions decisions, RemediationPolicy policy) {
    this.jdbc = jdbc;
    this.store = store;
    this.decisions = decisions;
    this.policy = policy;
  }

  void verified(DiagnosticsEngine engine, OpenAlarm alarm, Instant now) {
    PlaybookStep step =
        alarm.step() < alarm.remedies().size() ? alarm.remedies().get(alarm.step()).step() : null;
    if (step != null && step.expect() != null) {
      ObjectNode evidence =
          jdbc.runNow(
              c ->
                  expectedOutcome.check(
                      c, alarm.deviceId(), step, policy.verifyingSince(alarm), now),
              false);
      if (!evidence.get("holds").asBoolean()) {
        decisions.decide(alarm.id(), current -> policy.onOutcomeNotMet(current, evidence));
        return;
      }
      decisions.decide(alarm.id(), current -> policy.onOutcomeMet(current, evidence));
    }
    Optional<AlarmChange> verified =
        engine.clearVerifiedFix(
            alarm.deviceId(), alarm.ruleId(), SystemActor.DIAGNOSTICS.name(), now);
    if (verified.isPresent()) {
      store.store(verified.get());
    } else {
      // The engine no longer has the alarm open (its rule was removed): nothing to clear.
      decisions.decide(alarm.id(), policy::onVerifiedWithoutEngineAlarm);
    }
  }
}
