package io.aftercare.platform.alarms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.platform.command.Command;
import io.aftercare.platform.command.CommandRequest;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.command.CommandStatus;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.error.ServiceException;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote-fix-first: when an alarm's rule has remedies, send them one at a time, wait for the
 * device's result, then watch for a verification window; the alarm closes as fixed remotely if the
 * fault does not come back. Only when no remedy exists or none worked is a ticket asked for.
 *
 * <pre>
 * raised ─(remedies)─▶ trying step i ──command succeeded──▶ verifying ──window passes quietly──▶ fixed
 *                         │    ▲                                 │
 *                         │    └─── next remedy ◀── fault recurs ┘
 *                         └─ command failed / timed out / expired ─▶ next remedy
 * no remedy left (or none) ──▶ exhausted ──(rule opens tickets)──▶ ticket request in the outbox
 * </pre>
 *
 * The progress lives in the alarm's row, and commands are submitted with an idempotency key per
 * alarm and step, so a restart resumes where it was without sending a remedy twice. Runs on the
 * diagnostics runner's thread only.
 */
final class RemoteFixFirst {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteFixFirst.class);
  private static final long COMMAND_CALL_TIMEOUT_S = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbc jdbc;
  private final CommandService commands;
  private final Duration verifyWindow;

  RemoteFixFirst(Jdbc jdbc, CommandService commands, Duration verifyWindow) {
    this.jdbc = jdbc;
    this.commands = commands;
    this.verifyWindow = verifyWindow;
  }

  /** Reacts to an alarm change the runner has just stored. */
  void onChange(AlarmChange change, long alarmId, Instant now) {
    AlarmStore.OpenAlarm alarm = load(alarmId);
    if (alarm == null) {
      return;
    }
    switch (change.type()) {
      case RAISED -> {
        if (alarm.remedies().size() > 0) {
          tryStep(alarm, 0, now);
        } else if (alarm.openTicket()) {
          requestTicket(alarm, "no remote remedy for this fault", now);
        }
      }
      case UPDATED, ESCALATED -> {
        if (alarm.state().equals("verifying")) {
          record(
              alarm, now, "fix_failed", "{\"reason\":\"the fault came back during verification\"}");
          nextStep(alarm, now);
        }
      }
      case CLEARED -> onCleared(alarm, change);
      default -> {
        // Acknowledgement changes nothing here.
      }
    }
  }

  private void onCleared(AlarmStore.OpenAlarm alarm, AlarmChange change) {
    jdbc.runNow(
        c -> {
          if (change.actor() == null && alarm.state().equals("verifying")) {
            // The data went back to normal after a remedy: that remedy fixed it.
            markFixedRemotely(c, alarm.id());
          }
          if (alarm.ticketRequested()) {
            String resolution =
                change.actor() != null || alarm.state().equals("verifying")
                    ? "fixed_remotely"
                    : "condition_cleared";
            TicketRequests.alarmCleared(c, alarm, resolution);
          }
          return null;
        },
        true);
  }

  /** Advances remedies whose command finished and verifications whose window has passed. */
  void progress(Instant now, DiagnosticsEngine engine, AlarmChangeSink sink) {
    for (AlarmStore.OpenAlarm alarm : jdbc.runNow(AlarmStore::remediating, false)) {
      try {
        if (alarm.state().equals("trying")) {
          checkCommand(alarm, now);
        } else if (alarm.deadline() != null && !now.isBefore(alarm.deadline())) {
          engine
              .clearVerifiedFix(
                  alarm.deviceId(), alarm.ruleId(), SystemActor.DIAGNOSTICS.name(), now)
              .ifPresentOrElse(
                  sink::accept, () -> jdbc.runNow(c -> markFixedRemotely(c, alarm.id()), true));
        }
      } catch (RuntimeException e) {
        LOG.warn("Remote fix of alarm {} could not advance: {}", alarm.id(), e.getMessage());
      }
    }
  }

  private void checkCommand(AlarmStore.OpenAlarm alarm, Instant now) {
    Optional<Command> command = await(commands.find(alarm.commandId()));
    if (command.isEmpty() || !command.get().status().isFinal()) {
      return;
    }
    CommandStatus status = command.get().status();
    LOG.info(
        "Alarm {}: remedy {} on device {} {}",
        alarm.id(),
        command.get().name(),
        alarm.deviceId(),
        status.wireName());
    record(
        alarm,
        now,
        "remedy_result",
        JSON.createObjectNode()
            .put("commandId", alarm.commandId())
            .put("status", status.wireName())
            .toString());
    if (status == CommandStatus.SUCCEEDED) {
      jdbc.runNow(
          c -> {
            AlarmStore.setRemediation(
                c,
                alarm.id(),
                "verifying",
                alarm.step(),
                alarm.commandId(),
                now.plus(verifyWindow));
            return null;
          },
          true);
    } else {
      nextStep(alarm, now);
    }
  }

  private void nextStep(AlarmStore.OpenAlarm alarm, Instant now) {
    int next = alarm.step() + 1;
    if (next < alarm.remedies().size()) {
      tryStep(alarm, next, now);
      return;
    }
    jdbc.runNow(
        c -> {
          AlarmStore.setRemediation(
              c, alarm.id(), "exhausted", alarm.step(), alarm.commandId(), null);
          return null;
        },
        true);
    if (alarm.openTicket() && !alarm.ticketRequested()) {
      requestTicket(alarm, "remote remedies did not clear the fault", now);
    }
  }

  private void tryStep(AlarmStore.OpenAlarm alarm, int step, Instant now) {
    JsonNode remedy = alarm.remedies().get(step);
    String name = remedy.path("command").asText();
    Optional<AlarmStore.OpenAlarm> sharing =
        jdbc.runNow(
            c -> AlarmStore.sameRemedyUnderWay(c, alarm.deviceId(), remedy, alarm.id()), false);
    if (sharing.isPresent()) {
      follow(alarm, step, name, sharing.get(), now);
      return;
    }
    try {
      Command command =
          await(
              commands.submit(
                  alarm.deviceId(),
                  new CommandRequest(name, remedy.path("params"), null),
                  SystemActor.DIAGNOSTICS,
                  "diagnostics",
                  "alarm-" + alarm.id() + "-step-" + step));
      LOG.info("Alarm {}: trying remedy {} on device {}", alarm.id(), name, alarm.deviceId());
      markTrying(alarm, step, command.id(), remedySent(name, command.id()), now);
    } catch (ServiceException e) {
      // E.g. the device type lacks the command or too many commands are open: try the next.
      record(
          alarm,
          now,
          "remedy_not_sent",
          // The reason is free text: the mapper escapes it.
          JSON.createObjectNode().put("command", name).put("reason", e.getMessage()).toString());
      AlarmStore.OpenAlarm atStep =
          new AlarmStore.OpenAlarm(
              alarm.id(),
              alarm.deviceId(),
              alarm.ruleId(),
              alarm.severity(),
              alarm.category(),
              "trying",
              step,
              null,
              null,
              alarm.openTicket(),
              alarm.ticketRequested(),
              alarm.remedies());
      nextStep(atStep, now);
    }
  }

  /**
   * Waits on the command another alarm already sent for the same fix instead of sending it again;
   * its result then moves both alarms on.
   */
  private void follow(
      AlarmStore.OpenAlarm alarm, int step, String name, AlarmStore.OpenAlarm other, Instant now) {
    LOG.info(
        "Alarm {}: remedy {} on device {} already under way for alarm {}",
        alarm.id(),
        name,
        alarm.deviceId(),
        other.id());
    markTrying(
        alarm,
        step,
        other.commandId(),
        remedySent(name, other.commandId()).put("sharedWithAlarm", other.id()),
        now);
  }

  /**
   * The alarm now waits on {@code commandId}; its {@code remedy_sent} event is what the alarm's
   * actions and a ticket's evidence show, shared or not.
   */
  private void markTrying(
      AlarmStore.OpenAlarm alarm, int step, String commandId, ObjectNode sent, Instant now) {
    jdbc.runNow(
        c -> {
          AlarmStore.setRemediation(c, alarm.id(), "trying", step, commandId, null);
          AlarmStore.event(
              c,
              alarm.id(),
              now,
              "remedy_sent",
              null,
              SystemActor.DIAGNOSTICS.name(),
              sent.toString());
          return null;
        },
        true);
  }

  private static ObjectNode remedySent(String command, String commandId) {
    return JSON.createObjectNode().put("command", command).put("commandId", commandId);
  }

  private void requestTicket(AlarmStore.OpenAlarm alarm, String reason, Instant now) {
    LOG.info("Alarm {}: ticket requested for device {}: {}", alarm.id(), alarm.deviceId(), reason);
    jdbc.runNow(
        c -> {
          TicketRequests.open(c, alarm, reason, now);
          return null;
        },
        true);
  }

  private void record(AlarmStore.OpenAlarm alarm, Instant now, String type, String detailJson) {
    jdbc.runNow(
        c -> {
          AlarmStore.event(
              c, alarm.id(), now, type, null, SystemActor.DIAGNOSTICS.name(), detailJson);
          return null;
        },
        true);
  }

  private static Void markFixedRemotely(Connection c, long alarmId) throws SQLException {
    try (var update =
        c.prepareStatement(
            "UPDATE alarms SET remediation_state = 'fixed', resolution = 'fixed_remotely'"
                + " WHERE id = ?")) {
      update.setLong(1, alarmId);
      update.executeUpdate();
    }
    return null;
  }

  private AlarmStore.OpenAlarm load(long alarmId) {
    return jdbc.runNow(c -> AlarmStore.findById(c, alarmId).orElse(null), false);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(COMMAND_CALL_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw ServiceException.of(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw ServiceException.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ServiceException.of(e);
    }
  }

  /** Where changes made here (a verified fix) go to be stored and reacted to. */
  @FunctionalInterface
  interface AlarmChangeSink {
    void accept(AlarmChange change);
  }
}
