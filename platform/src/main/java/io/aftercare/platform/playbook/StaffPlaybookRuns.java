package io.aftercare.platform.playbook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.rules.Playbook;
import io.aftercare.diagnostics.rules.Remedy;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.command.Command;
import io.aftercare.platform.command.CommandFinished;
import io.aftercare.platform.command.CommandRequest;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.command.CommandStatus;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.remediation.ExpectedOutcome;
import io.aftercare.platform.remediation.StepPreconditions;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Playbooks that staff start on a device (docs/diagnostics.md, "Playbooks"). Steps are sent one at
 * a time on the starter's behalf, through the owner-consent check like any staff command; the run
 * ends at the first step whose command succeeds and whose expected outcome ({@code expect}), if it
 * has one, holds on the telemetry of the verification window after it. Every step's state is in the
 * database and moves on in one transaction per command result or verification, so a restart or
 * another node continues a run.
 */
public final class StaffPlaybookRuns {

  private static final Logger LOG = LoggerFactory.getLogger(StaffPlaybookRuns.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int LIST_LIMIT = 50;

  private final Jdbc jdbc;
  private final CommandService commands;
  private final Supplier<RuleSet> rules;
  private final StepPreconditions preconditions;
  private final ExpectedOutcome expected;
  private final Duration verifyWindow;
  private final Clock clock;

  /**
   * @param verifyWindow how long after a step's command succeeded its {@code expect} is checked
   *     ({@code diagnostics.verifyWindow}, as for a rule's run)
   */
  public StaffPlaybookRuns(
      Jdbc jdbc,
      CommandService commands,
      Supplier<RuleSet> rules,
      StepPreconditions preconditions,
      ExpectedOutcome expected,
      Duration verifyWindow,
      Clock clock) {
    this.jdbc = jdbc;
    this.commands = commands;
    this.rules = rules;
    this.preconditions = preconditions;
    this.expected = expected;
    this.verifyWindow = verifyWindow;
    this.clock = clock;
  }

  /**
   * Starts {@code playbookId} on {@code deviceId} and sends its first step that may run. A first
   * step the command service refuses (no owner consent, a device type without the command) fails
   * the request and no run is stored; audited {@code playbook_run.start}.
   */
  public Future<PlaybookRun> start(
      String deviceId, String playbookId, StaffPrincipal by, String from) {
    Playbook playbook =
        rules
            .get()
            .playbook(playbookId)
            .orElseThrow(
                () ->
                    new ServiceException(
                        Failure.INVALID_INPUT,
                        "'playbook': '" + playbookId + "' is not a loaded playbook"));
    return jdbc.transaction(
            c -> {
              Instant now = clock.instant();
              long id =
                  PlaybookRunStore.insert(c, deviceId, playbookId, playbook.steps(), by, from, now);
              PlaybookRunStore.Row run = PlaybookRunStore.lock(c, id).orElseThrow();
              sendFrom(c, run, 0, now, true);
              AuditLog.append(
                  c,
                  AuditEntry.of(
                          by.name(),
                          "playbook_run.start",
                          "device/" + deviceId,
                          AuditEntry.Outcome.ALLOWED,
                          from)
                      .withDetail(Map.of("playbook", playbookId, "run", String.valueOf(id))));
              return PlaybookRunStore.find(c, deviceId, id).orElseThrow();
            })
        .onSuccess(run -> commands.wake(deviceId));
  }

  /** The playbooks staff may start: those loaded with the rules in force. */
  public List<Playbook> playbooks() {
    return rules.get().playbooks();
  }

  public Future<PlaybookRun> get(String deviceId, long runId) {
    return jdbc.call(
        c ->
            PlaybookRunStore.find(c, deviceId, runId)
                .orElseThrow(
                    () -> new ServiceException(Failure.NOT_FOUND, "no such playbook run")));
  }

  public Future<List<PlaybookRun>> ofDevice(String deviceId) {
    return jdbc.call(c -> PlaybookRunStore.ofDevice(c, deviceId, LIST_LIMIT));
  }

  /** A command ended: each run waiting on it moves on. Blocking: call on a worker. */
  public void commandEnded(CommandFinished command) {
    for (long runId : jdbc.runNow(c -> PlaybookRunStore.waitingOn(c, command.commandId()), false)) {
      moveOn(runId, command.commandId(), command.status());
    }
  }

  /**
   * Moves on the runs whose command ended before a crash or on a node that stopped before acting on
   * it. Blocking: call on a worker at start-up.
   *
   * @return how many runs moved on
   */
  public int sweep() {
    int moved = 0;
    for (long runId : jdbc.runNow(PlaybookRunStore::waitingOnEndedCommands, false)) {
      try {
        moveOn(runId, null, null);
        moved++;
      } catch (RuntimeException e) {
        LOG.error("Could not move playbook run {} on", runId, e);
      }
    }
    return moved;
  }

  /**
   * Takes the result of the run's command into account, in one transaction with the run locked.
   * Without {@code commandId} (the sweep) the status is read from the command itself.
   */
  private void moveOn(long runId, String commandId, CommandStatus knownStatus) {
    Optional<String> wake =
        jdbc.runNow(
            c -> {
              Optional<PlaybookRunStore.Row> locked = PlaybookRunStore.lock(c, runId);
              if (locked.isEmpty()
                  || locked.get().state() != PlaybookRunState.RUNNING
                  || locked.get().commandId() == null
                  || locked.get().verifyUntil() != null
                  || (commandId != null && !commandId.equals(locked.get().commandId()))) {
                return Optional.<String>empty();
              }
              PlaybookRunStore.Row run = locked.get();
              CommandStatus status =
                  knownStatus != null ? knownStatus : commandStatus(c, run.commandId());
              if (status == null || !status.isFinal()) {
                return Optional.<String>empty();
              }
              Instant now = clock.instant();
              Remedy step = run.steps().get(run.step());
              boolean succeeded = status == CommandStatus.SUCCEEDED;
              PlaybookRunStore.event(
                  c,
                  run.id(),
                  step,
                  run.commandId(),
                  succeeded ? "succeeded" : "failed",
                  now,
                  JSON.objectNode().put("status", status.wireName()));
              if (succeeded && step.step().expect() != null) {
                PlaybookRunStore.update(c, run.verifyingUntil(now.plus(verifyWindow)), now);
                return Optional.<String>empty();
              }
              if (succeeded) {
                PlaybookRunStore.update(
                    c, run.at(PlaybookRunState.SUCCEEDED, run.step(), null), now);
                return Optional.<String>empty();
              }
              return afterFailure(c, run, now) ? Optional.of(run.deviceId()) : Optional.empty();
            },
            true);
    wake.ifPresent(commands::wake);
  }

  /**
   * Checks the expected outcome of every step whose verification window has passed. Blocking: call
   * on a worker, periodically; several nodes may at once (the run is locked).
   *
   * @return how many runs were checked
   */
  public int verifyDue() {
    int checked = 0;
    for (long runId :
        jdbc.runNow(c -> PlaybookRunStore.verificationsDue(c, clock.instant()), false)) {
      try {
        if (verify(runId)) {
          checked++;
        }
      } catch (RuntimeException e) {
        LOG.error("Could not check the expected outcome of playbook run {}", runId, e);
      }
    }
    return checked;
  }

  /**
   * The run's step succeeded and its window has passed: its {@code expect} on the window's
   * telemetry ends the run succeeded ({@code outcome_met}) or fails the step ({@code
   * outcome_not_met}, then its {@code on_failure}); either event carries the readings.
   */
  private boolean verify(long runId) {
    Instant now = clock.instant();
    Optional<Optional<String>> checked =
        jdbc.runNow(
            c -> {
              Optional<PlaybookRunStore.Row> locked = PlaybookRunStore.lock(c, runId);
              if (locked.isEmpty()
                  || locked.get().state() != PlaybookRunState.RUNNING
                  || locked.get().verifyUntil() == null
                  || locked.get().verifyUntil().isAfter(now)) {
                return Optional.<Optional<String>>empty();
              }
              PlaybookRunStore.Row run = locked.get();
              Remedy step = run.steps().get(run.step());
              ObjectNode evidence =
                  expected.check(
                      c,
                      run.deviceId(),
                      step.step(),
                      run.verifyUntil().minus(verifyWindow),
                      run.verifyUntil());
              boolean holds = evidence.path("holds").asBoolean();
              PlaybookRunStore.event(
                  c,
                  run.id(),
                  step,
                  run.commandId(),
                  holds ? "outcome_met" : "outcome_not_met",
                  now,
                  evidence);
              PlaybookRunStore.Row verified = run.at(PlaybookRunState.RUNNING, run.step(), null);
              if (holds) {
                PlaybookRunStore.update(
                    c, verified.at(PlaybookRunState.SUCCEEDED, run.step(), null), now);
                return Optional.of(Optional.<String>empty());
              }
              return Optional.of(
                  afterFailure(c, verified, now)
                      ? Optional.of(run.deviceId())
                      : Optional.<String>empty());
            },
            true);
    checked.flatMap(wake -> wake).ifPresent(commands::wake);
    return checked.isPresent();
  }

  /** The current step failed: what its {@code on_failure} says. True if a command was sent. */
  private boolean afterFailure(Connection c, PlaybookRunStore.Row run, Instant now)
      throws SQLException {
    return switch (run.steps().get(run.step()).onFailure()) {
      case NEXT -> sendFrom(c, run, run.step() + 1, now, false);
      case STOP -> {
        PlaybookRunStore.update(c, run.at(PlaybookRunState.STOPPED, run.step(), null), now);
        yield false;
      }
      // A staff-started run has no alarm to attach a ticket to: it ends failed for staff to act.
      case TICKET -> {
        PlaybookRunStore.update(c, run.at(PlaybookRunState.FAILED, run.step(), null), now);
        yield false;
      }
    };
  }

  /**
   * Sends the first step from {@code index} on that may run, skipping those whose precondition does
   * not hold; the run fails when none is left. A refused step is a failed step, except when the run
   * is {@code starting}: then the refusal is the answer to the staff member's request.
   *
   * @return true if a command was stored (the device must be woken after the commit)
   */
  private boolean sendFrom(
      Connection c, PlaybookRunStore.Row run, int index, Instant now, boolean starting)
      throws SQLException {
    for (int i = index; i < run.steps().size(); i++) {
      Remedy step = run.steps().get(i);
      Optional<ObjectNode> unmet = preconditions.unmet(c, run.deviceId(), step, now);
      if (unmet.isPresent()) {
        PlaybookRunStore.event(c, run.id(), step, null, "skipped", now, unmet.get());
        continue;
      }
      Command command;
      try {
        command =
            commands.submitForPlaybookRun(
                c,
                run.deviceId(),
                new CommandRequest(step.command(), MAPPER.valueToTree(step.params()), null),
                run.startedBy(),
                run.startedFrom(),
                "playbook-run-" + run.id() + "-step-" + i);
      } catch (ServiceException e) {
        if (starting) {
          throw e;
        }
        PlaybookRunStore.event(
            c,
            run.id(),
            step,
            null,
            "refused",
            now,
            JSON.objectNode().put("reason", e.getMessage()));
        PlaybookRunStore.Row refused = run.at(PlaybookRunState.RUNNING, i, null);
        return afterFailure(c, refused, now);
      }
      PlaybookRunStore.event(c, run.id(), step, command.id(), "sent", now, JSON.objectNode());
      PlaybookRunStore.update(c, run.at(PlaybookRunState.RUNNING, i, command.id()), now);
      return true;
    }
    PlaybookRunStore.update(
        c, run.at(PlaybookRunState.FAILED, Math.max(0, run.steps().size() - 1), null), now);
    return false;
  }

  private static CommandStatus commandStatus(Connection c, String commandId) throws SQLException {
    try (var select = c.prepareStatement("SELECT status FROM commands WHERE id = ?")) {
      select.setString(1, commandId);
      try (var rs = select.executeQuery()) {
        return rs.next() ? CommandStatus.fromWireName(rs.getString(1)) : null;
      }
    }
  }
}
