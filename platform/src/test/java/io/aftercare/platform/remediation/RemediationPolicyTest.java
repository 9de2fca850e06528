package io.aftercare.platform.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmChangeType;
import io.aftercare.diagnostics.alarm.AlarmSnapshot;
import io.aftercare.diagnostics.alarm.AlarmStatus;
import io.aftercare.diagnostics.rules.DiagnosisCategory;
import io.aftercare.diagnostics.rules.OnFailure;
import io.aftercare.diagnostics.rules.PlaybookStep;
import io.aftercare.diagnostics.rules.Remedy;
import io.aftercare.diagnostics.rules.Severity;
import io.aftercare.platform.alarms.AlarmEventType;
import io.aftercare.platform.alarms.OpenAlarm;
import io.aftercare.platform.alarms.Resolution;
import io.aftercare.platform.command.CommandStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Remote-fix-first decisions, without a database: each case is an alarm, an input, the actions. */
class RemediationPolicyTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration VERIFY = Duration.ofMinutes(3);
  private static final List<Remedy> REBOOT_THEN_ROLLBACK =
      List.of(new Remedy("reboot", Map.of()), new Remedy("firmware_rollback", Map.of()));

  private final RemediationPolicy policy = new RemediationPolicy(VERIFY);

  private static OpenAlarm alarm(List<Remedy> remedies, boolean openTicket) {
    return new OpenAlarm(
        7,
        "lock-1",
        "lock_jammed",
        Severity.MAJOR,
        DiagnosisCategory.DEVICE_FAULT,
        RemediationState.UNDECIDED,
        0,
        null,
        null,
        openTicket,
        false,
        remedies);
  }

  private static AlarmChange change(AlarmChangeType type, String actor) {
    return change(type, actor, NOW);
  }

  private static AlarmChange change(AlarmChangeType type, String actor, Instant at) {
    AlarmSnapshot snapshot =
        new AlarmSnapshot(
            new DeviceProfile("lock-1", "door_lock", null, null),
            "lock_jammed",
            Severity.MAJOR,
            AlarmStatus.ACTIVE,
            NOW,
            NOW,
            1,
            Double.NaN,
            Double.NaN,
            null,
            null,
            null);
    return new AlarmChange(
        type,
        at,
        Severity.MAJOR,
        actor,
        DiagnosisCategory.DEVICE_FAULT,
        List.of(),
        true,
        "jammed",
        snapshot);
  }

  @Test
  void aNewAlarmWithRemediesTriesTheFirst() {
    assertThat(policy.onRaised(alarm(REBOOT_THEN_ROLLBACK, true)))
        .containsExactly(new RemediationAction.TryRemedy(0));
  }

  @Test
  void aNewAlarmWithoutRemediesAsksForItsTicketAtOnce() {
    assertThat(policy.onRaised(alarm(List.of(), true)))
        .containsExactly(
            new RemediationAction.MoveTo(RemediationState.NONE),
            new RemediationAction.RequestTicket(RemediationPolicy.NO_REMEDY));
    assertThat(policy.onRaised(alarm(List.of(), false)))
        .containsExactly(new RemediationAction.MoveTo(RemediationState.NONE));
  }

  @Test
  void aSucceededRemedyIsVerifiedForTheWindow() {
    OpenAlarm trying =
        alarm(REBOOT_THEN_ROLLBACK, true).withRemediation(RemediationState.TRYING, 0, "c-1", null);
    List<RemediationAction> actions =
        policy.onCommandFinished(trying, "c-1", CommandStatus.SUCCEEDED, NOW);
    assertThat(actions).hasSize(2);
    assertThat(actions.get(0))
        .isInstanceOfSatisfying(
            RemediationAction.Record.class,
            record -> {
              assertThat(record.type()).isEqualTo(AlarmEventType.REMEDY_RESULT);
              assertThat(record.detail().get("status").asText()).isEqualTo("succeeded");
            });
    assertThat(actions.get(1)).isEqualTo(new RemediationAction.Verify(NOW.plus(VERIFY)));
  }

  @Test
  void aFailedRemedyMovesToTheNextThenToTheTicket() {
    OpenAlarm first =
        alarm(REBOOT_THEN_ROLLBACK, true).withRemediation(RemediationState.TRYING, 0, "c-1", null);
    assertThat(policy.onCommandFinished(first, "c-1", CommandStatus.TIMED_OUT, NOW))
        .endsWith(new RemediationAction.TryRemedy(1));

    OpenAlarm last = first.withRemediation(RemediationState.TRYING, 1, "c-2", null);
    assertThat(policy.onCommandFinished(last, "c-2", CommandStatus.FAILED, NOW))
        .endsWith(
            new RemediationAction.MoveTo(RemediationState.EXHAUSTED),
            new RemediationAction.RequestTicket(RemediationPolicy.REMEDIES_FAILED));
  }

  private static Remedy step(String command, OnFailure onFailure) {
    return new Remedy(
        command, Map.of(), new PlaybookStep("lock_recovery", command, null, null, null, onFailure));
  }

  @Test
  void aFailedPlaybookStepThatSaysStopEndsTheRunWithoutATicket() {
    OpenAlarm trying =
        alarm(
                List.of(step("reboot", OnFailure.STOP), step("firmware_rollback", OnFailure.NEXT)),
                true)
            .withRemediation(RemediationState.TRYING, 0, "c-1", null);

    List<RemediationAction> actions =
        policy.onCommandFinished(trying, "c-1", CommandStatus.FAILED, NOW);

    assertThat(actions).endsWith(new RemediationAction.MoveTo(RemediationState.STOPPED));
    assertThat(actions).noneMatch(RemediationAction.RequestTicket.class::isInstance);
    assertThat(((RemediationAction.Record) actions.get(0)).detail().get("step").asText())
        .isEqualTo("reboot");
    OpenAlarm stopped = trying.withState(RemediationState.STOPPED);
    assertThat(policy.onTicketNeverRequested(stopped)).isEmpty();
  }

  @Test
  void aFailedPlaybookStepThatSaysTicketOpensOneEvenWhenTheRuleDoesNot() {
    OpenAlarm trying =
        alarm(
                List.of(
                    step("reboot", OnFailure.TICKET), step("firmware_rollback", OnFailure.NEXT)),
                false)
            .withRemediation(RemediationState.TRYING, 0, "c-1", null);

    assertThat(policy.onCommandFinished(trying, "c-1", CommandStatus.FAILED, NOW))
        .endsWith(
            new RemediationAction.MoveTo(RemediationState.EXHAUSTED),
            new RemediationAction.RequestTicket(RemediationPolicy.STEP_WANTS_TICKET));
  }

  @Test
  void aSkippedStepIsNotAFailureTheNextStepIsTried() {
    OpenAlarm atFirst =
        alarm(
                List.of(step("reboot", OnFailure.STOP), step("firmware_rollback", OnFailure.NEXT)),
                true)
            .withRemediation(RemediationState.TRYING, 0, null, null);

    List<RemediationAction> actions =
        policy.onStepSkipped(
            atFirst, JsonNodeFactory.instance.objectNode().put("reason", "precondition"));

    assertThat(actions).endsWith(new RemediationAction.TryRemedy(1));
    RemediationAction.Record skipped = (RemediationAction.Record) actions.get(0);
    assertThat(skipped.type()).isEqualTo(AlarmEventType.STEP_SKIPPED);
    assertThat(skipped.detail().get("step").asText()).isEqualTo("reboot");
    assertThat(skipped.detail().get("reason").asText()).isEqualTo("precondition");
  }

  @Test
  void aResultForAnotherCommandOrAfterTheDecisionChangesNothing() {
    OpenAlarm trying =
        alarm(REBOOT_THEN_ROLLBACK, true).withRemediation(RemediationState.TRYING, 1, "c-2", null);
    assertThat(policy.onCommandFinished(trying, "c-1", CommandStatus.FAILED, NOW)).isEmpty();
    OpenAlarm verifying = trying.withRemediation(RemediationState.VERIFYING, 1, "c-2", NOW);
    assertThat(policy.onCommandFinished(verifying, "c-2", CommandStatus.SUCCEEDED, NOW)).isEmpty();
  }

  @Test
  void joiningARemedyThatAlreadySucceededStartsVerifyingAtOnce() {
    OpenAlarm other =
        alarm(REBOOT_THEN_ROLLBACK, true)
            .withRemediation(RemediationState.VERIFYING, 0, "c-1", NOW.plus(VERIFY));
    OpenAlarm joined =
        alarm(REBOOT_THEN_ROLLBACK, false).withRemediation(RemediationState.TRYING, 0, "c-1", null);
    assertThat(policy.onJoinedRemedy(joined, other, NOW))
        .endsWith(new RemediationAction.Verify(NOW.plus(VERIFY)));
    // Still out: the command's result, pushed later, moves both alarms on.
    OpenAlarm stillTrying = other.withRemediation(RemediationState.TRYING, 0, "c-1", null);
    assertThat(policy.onJoinedRemedy(joined, stillTrying, NOW)).isEmpty();
  }

  @Test
  void aRefusedRemedyIsRecordedAndTheNextTried() {
    OpenAlarm atStep =
        alarm(REBOOT_THEN_ROLLBACK, true).withRemediation(RemediationState.TRYING, 0, null, null);
    List<RemediationAction> actions = policy.onRemedyRefused(atStep, "too many commands");
    assertThat(actions.get(0))
        .isInstanceOfSatisfying(
            RemediationAction.Record.class,
            record -> {
              assertThat(record.type()).isEqualTo(AlarmEventType.REMEDY_NOT_SENT);
              assertThat(record.detail().get("command").asText()).isEqualTo("reboot");
            });
    assertThat(actions.get(1)).isEqualTo(new RemediationAction.TryRemedy(1));
  }

  @Test
  void theFaultComingBackDuringVerificationTriesTheNextRemedy() {
    OpenAlarm verifying =
        alarm(REBOOT_THEN_ROLLBACK, true)
            .withRemediation(RemediationState.VERIFYING, 0, "c-1", NOW.plus(VERIFY));
    List<RemediationAction> actions =
        policy.onChange(verifying, change(AlarmChangeType.UPDATED, null));
    assertThat(actions.get(0))
        .isInstanceOfSatisfying(
            RemediationAction.Record.class,
            record -> assertThat(record.type()).isEqualTo(AlarmEventType.FIX_FAILED));
    assertThat(actions.get(1)).isEqualTo(new RemediationAction.TryRemedy(1));

    OpenAlarm trying = verifying.withRemediation(RemediationState.TRYING, 0, "c-1", null);
    assertThat(policy.onChange(trying, change(AlarmChangeType.UPDATED, null))).isEmpty();
  }

  @Test
  void aReadingTakenBeforeTheRemedySucceededIsNotTheFaultComingBack() {
    // Verification began at NOW (its deadline is one window later).
    OpenAlarm verifying =
        alarm(REBOOT_THEN_ROLLBACK, true)
            .withRemediation(RemediationState.VERIFYING, 0, "c-1", NOW.plus(VERIFY));
    assertThat(
            policy.onChange(verifying, change(AlarmChangeType.UPDATED, null, NOW.minusSeconds(1))))
        .isEmpty();
    assertThat(policy.onChange(verifying, change(AlarmChangeType.UPDATED, null, NOW))).isNotEmpty();
  }

  @Test
  void clearingWhileVerifyingOrByTheEngineAfterTheWindowIsARemoteFix() {
    OpenAlarm verifying =
        alarm(REBOOT_THEN_ROLLBACK, true)
            .withRemediation(RemediationState.VERIFYING, 0, "c-1", NOW.plus(VERIFY));
    assertThat(policy.resolution(verifying, change(AlarmChangeType.CLEARED, null)))
        .isEqualTo(Resolution.FIXED_REMOTELY);
    OpenAlarm exhausted = verifying.withState(RemediationState.EXHAUSTED);
    assertThat(policy.resolution(exhausted, change(AlarmChangeType.CLEARED, null)))
        .isEqualTo(Resolution.CONDITION_CLEARED);
    assertThat(policy.resolution(exhausted, change(AlarmChangeType.CLEARED, "diagnostics-engine")))
        .isEqualTo(Resolution.FIXED_REMOTELY);
  }

  @Test
  void theBridgeHearsOfAClearedAlarmOnlyIfItWasAskedForATicket() {
    OpenAlarm exhausted = alarm(List.of(), true).withState(RemediationState.EXHAUSTED);
    assertThat(policy.onChange(exhausted, change(AlarmChangeType.CLEARED, null))).isEmpty();
    assertThat(
            policy.onChange(exhausted.withTicketRequested(), change(AlarmChangeType.CLEARED, null)))
        .containsExactly(new RemediationAction.StartHealthCheck(Resolution.CONDITION_CLEARED));
  }

  @Test
  void aTicketNeverRequestedIsRequestedWithTheReasonOfItsState() {
    OpenAlarm none = alarm(List.of(), true).withState(RemediationState.NONE);
    assertThat(policy.onTicketNeverRequested(none))
        .containsExactly(new RemediationAction.RequestTicket(RemediationPolicy.NO_REMEDY));
    OpenAlarm exhausted = alarm(REBOOT_THEN_ROLLBACK, true).withState(RemediationState.EXHAUSTED);
    assertThat(policy.onTicketNeverRequested(exhausted))
        .containsExactly(new RemediationAction.RequestTicket(RemediationPolicy.REMEDIES_FAILED));
    assertThat(policy.onTicketNeverRequested(exhausted.withTicketRequested())).isEmpty();
  }
}
