package io.aftercare.platform.remediation;

import io.aftercare.platform.alarms.AlarmQueries;
import io.aftercare.platform.alarms.OpenAlarm;
import io.aftercare.platform.command.CommandFinished;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.db.Jdbc;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote-fix-first decisions that do not come with an alarm change: a remedy's command ended, and
 * the start-up sweep of decisions never taken. Each alarm is read, locked, decided and updated in
 * one transaction; devices with a new command are woken after the commit.
 */
public final class AlarmDecisions {

  private static final Logger LOG = LoggerFactory.getLogger(AlarmDecisions.class);

  private final Jdbc jdbc;
  private final RemoteFixFirst remoteFixFirst;
  private final RemediationPolicy policy;
  private final CommandService commands;
  private final Clock clock;

  public AlarmDecisions(
      Jdbc jdbc, RemoteFixFirst remoteFixFirst, CommandService commands, Clock clock) {
    this.jdbc = jdbc;
    this.remoteFixFirst = remoteFixFirst;
    this.policy = remoteFixFirst.policy();
    this.commands = commands;
    this.clock = clock;
  }

  /** A command ended: each open alarm waiting on it (several if they share it) moves on. */
  public void commandEnded(CommandFinished command) {
    for (OpenAlarm alarm : jdbc.runNow(c -> AlarmQueries.tryingOn(c, command.commandId()), false)) {
      LOG.info(
          "Alarm {}: remedy {} on device {} {}",
          alarm.id(),
          alarm.remedies().get(alarm.step()).command(),
          alarm.deviceId(),
          command.status().wireName());
      Instant now = clock.instant();
      decide(
          alarm.id(),
          current -> policy.onCommandFinished(current, command.commandId(), command.status(), now));
    }
  }

  /**
   * Finds the open alarms whose decision was never taken — stored {@code undecided}, ended without
   * the ticket their rule wants, or still trying a remedy whose command has ended (its result was
   * committed but not acted on before a crash) — and takes it. Each alarm on its own: one that
   * fails is logged and the others are still decided.
   *
   * @return how many alarms were decided
   */
  public int sweep() {
    int decided = 0;
    for (OpenAlarm alarm : jdbc.runNow(AlarmQueries::undecided, false)) {
      decided += decideLogged(alarm.id(), current -> decideUndecided(current));
    }
    for (OpenAlarm alarm : jdbc.runNow(AlarmQueries::ticketNeverRequested, false)) {
      decided += decideLogged(alarm.id(), policy::onTicketNeverRequested);
    }
    for (AlarmQueries.FinishedRemedy remedy : jdbc.runNow(AlarmQueries::finishedRemedies, false)) {
      Instant now = clock.instant();
      decided +=
          decideLogged(
              remedy.alarm().id(),
              current ->
                  policy.onCommandFinished(
                      current, remedy.alarm().commandId(), remedy.status(), now));
    }
    if (decided > 0) {
      LOG.warn(
          "{} alarms had no remote-fix-first decision (an earlier crash?): taken now", decided);
    }
    return decided;
  }

  private List<RemediationAction> decideUndecided(OpenAlarm alarm) {
    return alarm.state() == RemediationState.UNDECIDED ? policy.onRaised(alarm) : List.of();
  }

  private int decideLogged(long alarmId, Function<OpenAlarm, List<RemediationAction>> decision) {
    try {
      decide(alarmId, decision);
      return 1;
    } catch (RuntimeException e) {
      LOG.error("Could not take the remote-fix-first decision of alarm {}", alarmId, e);
      return 0;
    }
  }

  /** Reads and locks the open alarm, applies {@code decision} to it and commits. */
  public void decide(long alarmId, Function<OpenAlarm, List<RemediationAction>> decision) {
    Instant now = clock.instant();
    Set<String> toWake = new LinkedHashSet<>();
    jdbc.runNow(
        c -> {
          Optional<OpenAlarm> alarm = AlarmQueries.findOpen(c, alarmId);
          if (alarm.isPresent()) {
            remoteFixFirst.apply(c, alarm.get(), decision.apply(alarm.get()), now, toWake);
          }
          return null;
        },
        true);
    toWake.forEach(commands::wake);
  }
}
