package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.platform.remediation.AlarmDecisions;
import io.aftercare.platform.remediation.RemediationPolicy;
import java.time.Instant;
import java.util.Optional;

/**
 * A remedy's verification window passed without the fault coming back: the engine that holds the
 * device closes the alarm as fixed and forgets the rule's old evidence.
 */
final class FixVerification {

  private final AlarmChangeStore store;
  private final AlarmDecisions decisions;
  private final RemediationPolicy policy;

  FixVerification(AlarmChangeStore store, AlarmDecisions decisions, RemediationPolicy policy) {
    this.store = store;
    this.decisions = decisions;
    this.policy = policy;
  }

  void verified(DiagnosticsEngine engine, OpenAlarm alarm, Instant now) {
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
