package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.rules.DiagnosisCategory;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.ServiceStates;
import io.aftercare.platform.remediation.RemediationPolicy;
import io.aftercare.platform.remediation.RemoteFixFirst;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores what an engine decided: every alarm change together with its remote-fix-first decision in
 * one transaction — the alarm row and events, the remedy command, the ticket request — and wakes
 * devices with a new command once it has committed. A change that fails is logged and costs only
 * itself.
 *
 * <p>Several engines may judge the same device at once: two nodes during a takeover, or a node and
 * the check of silent devices. The database decides: the open alarm's row is locked while a change
 * is stored, a raise that finds the alarm already open (the partial unique index {@code
 * alarms_one_open}) adopts it and changes nothing, and a repeat or escalation of an alarm that data
 * newer than its own has already cleared is stale and dropped. So no alarm is raised twice, no
 * remedy is sent twice, and no alarm is resolved by state that went stale.
 */
public final class AlarmChangeStore {

  private static final Logger LOG = LoggerFactory.getLogger(AlarmChangeStore.class);

  private final Jdbc jdbc;
  private final RemoteFixFirst remoteFixFirst;
  private final RemediationPolicy policy;
  private final CommandService commands;
  private final HomeOutages homes;
  private final FleetIncidents fleet;
  private final Clock clock;

  AlarmChangeStore(
      Jdbc jdbc,
      RemoteFixFirst remoteFixFirst,
      CommandService commands,
      HomeOutages homes,
      FleetIncidents fleet,
      Clock clock) {
    this.jdbc = jdbc;
    this.homes = homes;
    this.fleet = fleet;
    this.remoteFixFirst = remoteFixFirst;
    this.policy = remoteFixFirst.policy();
    this.commands = commands;
    this.clock = clock;
  }

  void store(List<AlarmChange> changes) {
    for (AlarmChange change : changes) {
      store(change);
    }
  }

  /** One change and its decision, one transaction; a failure costs this change only. */
  void store(AlarmChange change) {
    try {
      Set<String> toWake = new LinkedHashSet<>();
      Optional<StoredChange> stored =
          jdbc.runNow(c -> storeIn(c, change, clock.instant(), toWake), true);
      stored.ifPresent(s -> logLifeCycle(change, s));
      toWake.forEach(commands::wake);
    } catch (RuntimeException e) {
      LOG.error(
          "Could not store alarm change {} of device {} rule {}",
          change.type(),
          change.deviceId(),
          change.ruleId(),
          e);
    }
  }

  private record StoredChange(long alarmId, Resolution resolution) {}

  private Optional<StoredChange> storeIn(
      Connection c, AlarmChange change, Instant now, Set<String> toWake) throws SQLException {
    Optional<OpenAlarm> open = AlarmQueries.findOpen(c, change.deviceId(), change.ruleId());
    if (open.isEmpty()) {
      return switch (change.type()) {
        case RAISED, UPDATED, ESCALATED -> raise(c, change, now, toWake);
        case ACKNOWLEDGED, CLEARED -> Optional.empty();
      };
    }
    OpenAlarm alarm = open.get();
    Resolution resolution = null;
    switch (change.type()) {
      case RAISED, UPDATED, ESCALATED -> AlarmWrites.recurred(c, alarm.id(), change);
      case ACKNOWLEDGED -> AlarmWrites.acknowledged(c, alarm.id(), change, null);
      case CLEARED -> {
        resolution = policy.resolution(alarm, change);
        AlarmWrites.cleared(c, alarm.id(), change, resolution);
        HomeOutages.deviceAlarmCleared(c, alarm.id(), change.at());
        fleet.deviceAlarmCleared(c, alarm.id(), change.at());
      }
    }
    remoteFixFirst.apply(c, alarm, policy.onChange(alarm, change), now, toWake);
    return Optional.of(new StoredChange(alarm.id(), resolution));
  }

  /** A raise, or a repeat of an alarm the engine believes open but the database does not. */
  private Optional<StoredChange> raise(
      Connection c, AlarmChange change, Instant now, Set<String> toWake) throws SQLException {
    if (change.category() == DiagnosisCategory.CONNECTIVITY
        && !ServiceStates.isActive(c, change.deviceId())) {
      // A device in maintenance or decommissioned is expected to be silent or off its network:
      // its link alarms (device_offline above all) are not raised.
      return Optional.empty();
    }
    if (change.type() != io.aftercare.diagnostics.alarm.AlarmChangeType.RAISED
        && AlarmQueries.clearedByNewerData(c, change.deviceId(), change.ruleId(), change.at())) {
      // State kept by a node the device has left: another node already saw the fault end.
      LOG.info(
          "Stale {} of device {} rule {} dropped: newer data cleared the alarm",
          change.type(),
          change.deviceId(),
          change.ruleId());
      return Optional.empty();
    }
    // A change for an alarm raised before the table existed, or cleared by hand: record it as
    // raised now rather than lose it.
    Optional<OpenAlarm> raised = AlarmWrites.insert(c, change);
    if (raised.isEmpty()) {
      // Raised meanwhile by another node, whose transaction took its decision too: adopted.
      LOG.info(
          "Alarm of device {} rule {} already raised by another node: adopted",
          change.deviceId(),
          change.ruleId());
      return Optional.empty();
    }
    // An alarm a home alarm or a fleet incident explains gets neither remedy nor ticket: the home
    // alarm or the incident stands for it. One held to see whether its whole home degrades is
    // decided later (DegradationHolds).
    HomeOutages.Verdict home = homes.judge(c, raised.get(), now);
    boolean inIncident = fleet.explain(c, raised.get(), now).isPresent();
    remoteFixFirst.apply(
        c,
        raised.get(),
        inIncident || home == HomeOutages.Verdict.EXPLAINED
            ? policy.onExplainedByHome()
            : home == HomeOutages.Verdict.HELD ? List.of() : policy.onRaised(raised.get()),
        now,
        toWake);
    return Optional.of(new StoredChange(raised.get().id(), null));
  }

  /** What an operator tailing the log wants to see; repeats of an open alarm are left out. */
  private static void logLifeCycle(AlarmChange change, StoredChange stored) {
    switch (change.type()) {
      case RAISED, ESCALATED, CLEARED ->
          LOG.info(
              "Alarm {} {}: device {} rule {} severity {} ({}){}",
              stored.alarmId(),
              change.type().name().toLowerCase(Locale.ROOT),
              change.deviceId(),
              change.ruleId(),
              change.alarm().severity().wireName(),
              change.category().name().toLowerCase(Locale.ROOT),
              stored.resolution() == null ? "" : ": " + describe(stored.resolution()));
      default -> {}
    }
  }

  private static String describe(Resolution resolution) {
    return switch (resolution) {
      case FIXED_REMOTELY -> "fixed remotely, the remedy was verified";
      case CONDITION_CLEARED -> "the condition cleared";
    };
  }
}
