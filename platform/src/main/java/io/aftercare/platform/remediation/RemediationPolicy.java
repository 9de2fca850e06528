package io.aftercare.platform.remediation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.rules.PlaybookStep;
import io.aftercare.platform.alarms.AlarmEventType;
import io.aftercare.platform.alarms.OpenAlarm;
import io.aftercare.platform.alarms.Resolution;
import io.aftercare.platform.command.CommandStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Remote-fix-first as a pure function: from an open alarm and what just happened to it, the actions
 * to take. No I/O; {@link RemoteFixFirst} applies the actions in the transaction that stores the
 * alarm change, so that a change and its decision are committed together or not at all.
 *
 * <pre>
 * raised ─(remedies)─▶ trying step i ──command succeeded──▶ verifying ──window passes quietly──▶ fixed
 *   │                     │    ▲                                 │
 *   │                     │    └─── next remedy ◀── fault recurs ┘
 *   │                     └─ command failed / timed out / expired / refused ─▶ next remedy
 *   └─(no remedy)─▶ none ──(rule opens tickets)──▶ ticket request
 * no remedy left ──▶ exhausted ──(rule opens tickets)──▶ ticket request
 * </pre>
 *
 * <p>A rule's remedies may be a playbook's steps: a failed step then does what its {@code
 * on_failure} says (next step, {@code stopped} without a ticket, or {@code exhausted} with a ticket
 * whatever the rule says), and a step whose precondition does not hold is skipped, which is not a
 * failure: the next step is tried. Every event of a step names it ({@code playbook}, {@code step}),
 * which is how the alarm's run is listed.
 */
public final class RemediationPolicy {

  static final String NO_REMEDY = "no remote remedy for this fault";
  static final String REMEDIES_FAILED = "remote remedies did not clear the fault";
  static final String STEP_WANTS_TICKET = "a playbook step failed that opens a ticket on failure";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Duration verifyWindow;

  public RemediationPolicy(Duration verifyWindow) {
    this.verifyWindow = verifyWindow;
  }

  /** The first decision about a new alarm (or one stored without it: {@code undecided}). */
  public List<RemediationAction> onRaised(OpenAlarm alarm) {
    if (!alarm.remedies().isEmpty()) {
      return List.of(new RemediationAction.TryRemedy(0));
    }
    List<RemediationAction> actions = new ArrayList<>();
    actions.add(new RemediationAction.MoveTo(RemediationState.NONE));
    if (alarm.openTicket() && !alarm.ticketRequested()) {
      actions.add(new RemediationAction.RequestTicket(NO_REMEDY));
    }
    return actions;
  }

  /**
   * The first decision about a new alarm that a home outage explains (a device silent because its
   * home lost power or internet): no remedy could reach it and no ticket is wanted.
   */
  public List<RemediationAction> onExplainedByHome() {
    return List.of(new RemediationAction.MoveTo(RemediationState.NONE));
  }

  /**
   * After a stored change of an alarm that was already open ({@code alarm} as it was before the
   * change). A repeated raise (the engine had lost the alarm) counts as the fault recurring.
   */
  public List<RemediationAction> onChange(OpenAlarm alarm, AlarmChange change) {
    return switch (change.type()) {
      case RAISED, UPDATED, ESCALATED -> onRecurred(alarm, change.at());
      case CLEARED ->
          alarm.ticketRequested()
              ? List.of(new RemediationAction.StartHealthCheck(resolution(alarm, change)))
              : List.of();
      case ACKNOWLEDGED -> List.of();
    };
  }

  /**
   * Why an alarm clears: a fix the engine confirmed after the verification window (a change with an
   * actor), or data back to normal while a remedy was being verified, count as fixed remotely.
   */
  public Resolution resolution(OpenAlarm alarm, AlarmChange change) {
    return change.actor() != null || alarm.state() == RemediationState.VERIFYING
        ? Resolution.FIXED_REMOTELY
        : Resolution.CONDITION_CLEARED;
  }

  private List<RemediationAction> onRecurred(OpenAlarm alarm, Instant readingAt) {
    if (alarm.state() != RemediationState.VERIFYING || takenBeforeTheFix(alarm, readingAt)) {
      return List.of();
    }
    List<RemediationAction> actions = new ArrayList<>();
    actions.add(
        new RemediationAction.Record(
            AlarmEventType.FIX_FAILED,
            stepDetail(alarm).put("reason", "the fault came back during verification")));
    actions.addAll(next(alarm));
    return actions;
  }

  /**
   * A command reached a final status. Only the command the alarm waits on counts: a result for an
   * earlier step, or one already taken into account, changes nothing.
   */
  public List<RemediationAction> onCommandFinished(
      OpenAlarm alarm, String commandId, CommandStatus status, Instant now) {
    if (alarm.state() != RemediationState.TRYING || !commandId.equals(alarm.commandId())) {
      return List.of();
    }
    List<RemediationAction> actions = new ArrayList<>();
    actions.add(
        new RemediationAction.Record(
            AlarmEventType.REMEDY_RESULT,
            stepDetail(alarm).put("commandId", commandId).put("status", status.wireName())));
    if (status == CommandStatus.SUCCEEDED) {
      actions.add(new RemediationAction.Verify(now.plus(verifyWindow)));
    } else {
      actions.addAll(next(alarm));
    }
    return actions;
  }

  /**
   * {@code alarm} now waits on the command {@code other} sent for the same fix. If that command has
   * already succeeded ({@code other} is verifying), no result will come again: this alarm starts
   * its own verification now.
   */
  public List<RemediationAction> onJoinedRemedy(OpenAlarm alarm, OpenAlarm other, Instant now) {
    return other.state() == RemediationState.VERIFYING
        ? onCommandFinished(alarm, other.commandId(), CommandStatus.SUCCEEDED, now)
        : List.of();
  }

  /** The command service refused the remedy of {@code alarm}'s current step. */
  public List<RemediationAction> onRemedyRefused(OpenAlarm alarm, String reason) {
    List<RemediationAction> actions = new ArrayList<>();
    actions.add(
        new RemediationAction.Record(
            AlarmEventType.REMEDY_NOT_SENT,
            stepDetail(alarm)
                .put("command", alarm.remedies().get(alarm.step()).command())
                .put("reason", reason)));
    actions.addAll(next(alarm));
    return actions;
  }

  /**
   * The precondition of the playbook step at {@code alarm}'s step does not hold ({@code why}: the
   * reason and the readings it was checked on): the step is recorded as skipped and the next one is
   * tried.
   */
  public List<RemediationAction> onStepSkipped(OpenAlarm alarm, ObjectNode why) {
    List<RemediationAction> actions = new ArrayList<>();
    actions.add(
        new RemediationAction.Record(AlarmEventType.STEP_SKIPPED, stepDetail(alarm).setAll(why)));
    actions.addAll(advance(alarm));
    return actions;
  }

  /**
   * An alarm that ended remote-fix-first ({@code none} or {@code exhausted}) without the ticket its
   * rule asks for, as an older version could leave it.
   */
  public List<RemediationAction> onTicketNeverRequested(OpenAlarm alarm) {
    if (!alarm.openTicket() || alarm.ticketRequested()) {
      return List.of();
    }
    return switch (alarm.state()) {
      case NONE -> List.of(new RemediationAction.RequestTicket(NO_REMEDY));
      case EXHAUSTED -> List.of(new RemediationAction.RequestTicket(REMEDIES_FAILED));
      default -> List.of();
    };
  }

  /** When the verification of {@code alarm}'s fix began: one window before its deadline. */
  public Instant verifyingSince(OpenAlarm alarm) {
    return alarm.deadline().minus(verifyWindow);
  }

  /**
   * The window passed but the step's expected outcome did not hold on its telemetry ({@code
   * evidence}): the fix failed, as if the fault had come back.
   */
  public List<RemediationAction> onOutcomeNotMet(OpenAlarm alarm, ObjectNode evidence) {
    if (alarm.state() != RemediationState.VERIFYING) {
      return List.of();
    }
    List<RemediationAction> actions = new ArrayList<>();
    actions.add(
        new RemediationAction.Record(
            AlarmEventType.FIX_FAILED,
            stepDetail(alarm).put("reason", "the expected outcome did not hold").setAll(evidence)));
    actions.addAll(next(alarm));
    return actions;
  }

  /** The step's expected outcome held: its evidence is kept before the alarm clears as fixed. */
  public List<RemediationAction> onOutcomeMet(OpenAlarm alarm, ObjectNode evidence) {
    return alarm.state() == RemediationState.VERIFYING
        ? List.of(
            new RemediationAction.Record(
                AlarmEventType.OUTCOME_CHECKED, stepDetail(alarm).setAll(evidence)))
        : List.of();
  }

  /** A verification window passed but the engine no longer has the alarm open. */
  public List<RemediationAction> onVerifiedWithoutEngineAlarm(OpenAlarm alarm) {
    return alarm.state() == RemediationState.VERIFYING
        ? List.of(new RemediationAction.MoveTo(RemediationState.FIXED))
        : List.of();
  }

  /**
   * A reading taken before the remedy succeeded — sent before the command ran, and still on its way
   * through ingest when the result arrived — says nothing about whether the fix worked.
   * Verification began one window before its deadline.
   */
  private boolean takenBeforeTheFix(OpenAlarm alarm, Instant readingAt) {
    return alarm.deadline() != null && readingAt.isBefore(alarm.deadline().minus(verifyWindow));
  }

  /** The current remedy failed: what its playbook step says to do, or the next remedy. */
  private List<RemediationAction> next(OpenAlarm alarm) {
    return switch (alarm.remedies().get(alarm.step()).onFailure()) {
      case NEXT -> advance(alarm);
      case STOP -> List.of(new RemediationAction.MoveTo(RemediationState.STOPPED));
      case TICKET -> {
        List<RemediationAction> actions = new ArrayList<>();
        actions.add(new RemediationAction.MoveTo(RemediationState.EXHAUSTED));
        if (!alarm.ticketRequested()) {
          actions.add(new RemediationAction.RequestTicket(STEP_WANTS_TICKET));
        }
        yield actions;
      }
    };
  }

  private List<RemediationAction> advance(OpenAlarm alarm) {
    int next = alarm.step() + 1;
    if (next < alarm.remedies().size()) {
      return List.of(new RemediationAction.TryRemedy(next));
    }
    List<RemediationAction> actions = new ArrayList<>();
    actions.add(new RemediationAction.MoveTo(RemediationState.EXHAUSTED));
    if (alarm.openTicket() && !alarm.ticketRequested()) {
      actions.add(new RemediationAction.RequestTicket(REMEDIES_FAILED));
    }
    return actions;
  }

  /**
   * An event detail naming the playbook step the alarm is at, so that the events of one run can be
   * listed; empty for a plain remedy.
   */
  static ObjectNode stepDetail(OpenAlarm alarm) {
    ObjectNode detail = JSON.objectNode();
    PlaybookStep step =
        alarm.step() < alarm.remedies().size() ? alarm.remedies().get(alarm.step()).step() : null;
    if (step != null) {
      detail.put("playbook", step.playbook()).put("step", step.name());
    }
    return detail;
  }
}
