package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.rules.DiagnosisCategory;
import io.aftercare.domain.Telemetry;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.DeviceFirmware;
import io.aftercare.platform.device.PlatformHeartbeat;
import io.aftercare.platform.device.ServiceStates;
import io.aftercare.platform.ingest.Uplink;
import io.aftercare.platform.remediation.AlarmDecisions;
import io.aftercare.platform.remediation.RemediationPolicy;
import io.aftercare.platform.remediation.RemoteFixFirst;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the diagnostics thread does with each input. Every alarm change is stored together with its
 * remote-fix-first decision in one transaction — the alarm row and events, the remedy command, the
 * ticket request — and devices with a new command are woken once it has committed. A change that
 * fails is logged and the rest of its batch still goes through.
 */
public final class DiagnosticsHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsHandlers.class);

  private final Jdbc jdbc;
  private final DiagnosticsEngine engine;
  private final DeviceProfiles profiles;
  private final RemoteFixFirst remoteFixFirst;
  private final AlarmDecisions decisions;
  private final RemediationPolicy policy;
  private final CommandService commands;
  private final Clock clock;

  public DiagnosticsHandlers(
      Jdbc jdbc,
      DeviceProfiles profiles,
      DiagnosticsEngine engine,
      RemoteFixFirst remoteFixFirst,
      AlarmDecisions decisions,
      CommandService commands,
      Clock clock) {
    this.jdbc = jdbc;
    this.engine = engine;
    this.profiles = profiles;
    this.remoteFixFirst = remoteFixFirst;
    this.decisions = decisions;
    this.policy = remoteFixFirst.policy();
    this.commands = commands;
    this.clock = clock;
  }

  /**
   * @param running false once the platform is stopping: periodic work is then cut short
   */
  void handle(DiagnosticsInbox.Input input, BooleanSupplier running) throws SQLException {
    if (input instanceof DiagnosticsInbox.Committed committed) {
      for (Uplink uplink : committed.uplinks()) {
        try {
          evaluate(uplink);
        } catch (RuntimeException | SQLException e) {
          // The batch's other devices are still evaluated.
          LOG.error("Diagnostics could not evaluate an uplink of device {}", uplink.deviceId(), e);
        }
      }
    } else if (input instanceof DiagnosticsInbox.Connectivity change) {
      Optional<DeviceProfile> profile = profiles.of(change.deviceId());
      if (profile.isPresent()) {
        store(engine.onConnectivity(profile.get(), change.change(), change.at()));
      }
    } else if (input instanceof DiagnosticsInbox.Tick tick) {
      tick(tick.now(), running);
    } else if (input instanceof DiagnosticsInbox.Acknowledge ack) {
      acknowledge(ack);
    } else if (input instanceof DiagnosticsInbox.CommandEnded ended) {
      decisions.commandEnded(ended.command());
    }
  }

  private void evaluate(Uplink uplink) throws SQLException {
    if (uplink instanceof Uplink.Event event
        && DeviceFirmware.reported(event.event()).isPresent()) {
      profiles.firmwareReported(uplink.deviceId());
    }
    Optional<DeviceProfile> profile = profiles.of(uplink.deviceId());
    if (profile.isEmpty()) {
      return;
    }
    if (uplink instanceof Uplink.TelemetryBatch batch) {
      for (Telemetry document : batch.documents()) {
        store(engine.onTelemetry(profile.get(), document));
      }
    } else if (uplink instanceof Uplink.Event event) {
      store(engine.onEvent(profile.get(), event.event()));
    }
  }

  /**
   * Periodic work, which a stopping runner skips. It also stops between a tick's alarm changes: a
   * tick after a mass outage can hold thousands, each opening a ticket, and storing them all would
   * outlast the shutdown. Nothing is lost: after the restart, absence is measured again from the
   * devices' last-seen times and expired windows are found again, so the first tick makes the
   * changes left out here.
   */
  private void tick(Instant now, BooleanSupplier running) {
    if (!running.getAsBoolean()) {
      return;
    }
    heartbeat(now);
    List<AlarmChange> changes = engine.tick(now);
    for (int i = 0; i < changes.size(); i++) {
      if (!running.getAsBoolean()) {
        LOG.info(
            "Stopping: {} of this tick's {} alarm changes are left to the next start",
            changes.size() - i,
            changes.size());
        return;
      }
      store(changes.get(i));
    }
    for (OpenAlarm alarm : jdbc.runNow(c -> AlarmQueries.verificationsDue(c, now), false)) {
      Optional<AlarmChange> verified =
          engine.clearVerifiedFix(
              alarm.deviceId(), alarm.ruleId(), SystemActor.DIAGNOSTICS.name(), now);
      if (verified.isPresent()) {
        store(verified.get());
      } else {
        // The engine no longer has the alarm open (its rule was removed): nothing to clear.
        decisions.decide(alarm.id(), policy::onVerifiedWithoutEngineAlarm);
      }
    }
  }

  void heartbeat(Instant at) {
    jdbc.runNow(
        c -> {
          PlatformHeartbeat.beat(c, at);
          return null;
        },
        false);
  }

  private void store(List<AlarmChange> changes) {
    for (AlarmChange change : changes) {
      store(change);
    }
  }

  /** One change and its decision, one transaction; a failure costs this change only. */
  private void store(AlarmChange change) {
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
        case RAISED, UPDATED, ESCALATED -> {
          if (change.category() == DiagnosisCategory.CONNECTIVITY
              && !ServiceStates.isActive(c, change.deviceId())) {
            // A device in maintenance or decommissioned is expected to be silent or off its
            // network: its link alarms (device_offline above all) are not raised.
            yield Optional.empty();
          }
          // A change for an alarm raised before the table existed, or cleared by hand: record it
          // as raised now rather than lose it.
          OpenAlarm raised = AlarmWrites.insert(c, change);
          remoteFixFirst.apply(c, raised, policy.onRaised(raised), now, toWake);
          yield Optional.of(new StoredChange(raised.id(), null));
        }
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
      }
    }
    remoteFixFirst.apply(c, alarm, policy.onChange(alarm, change), now, toWake);
    return Optional.of(new StoredChange(alarm.id(), resolution));
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

  private void acknowledge(DiagnosticsInbox.Acknowledge ack) {
    Instant now = clock.instant();
    Map<Long, AckOutcome> outcomes =
        jdbc.runNow(
            c -> {
              Map<Long, AckOutcome> each = new LinkedHashMap<>();
              for (long alarmId : ack.alarmIds()) {
                each.put(alarmId, acknowledgeOne(c, alarmId, ack, now));
              }
              List<Long> acknowledged =
                  each.entrySet().stream()
                      .filter(e -> e.getValue() == AckOutcome.ACKNOWLEDGED)
                      .map(Map.Entry::getKey)
                      .toList();
              if (ack.bulk()) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("alarmIds", ack.alarmIds());
                detail.put("acknowledged", acknowledged);
                if (ack.note() != null) {
                  detail.put("note", ack.note());
                }
                AuditLog.append(
                    c,
                    AuditEntry.of(
                            ack.by().name(),
                            "alarm.bulk_acknowledge",
                            "alarms",
                            AuditEntry.Outcome.ALLOWED,
                            ack.from())
                        .withDetail(detail));
              } else {
                for (long alarmId : acknowledged) {
                  AuditEntry entry =
                      AuditEntry.of(
                          ack.by().name(),
                          "alarm.acknowledge",
                          "alarm/" + alarmId,
                          AuditEntry.Outcome.ALLOWED,
                          ack.from());
                  AuditLog.append(
                      c, ack.note() == null ? entry : entry.withDetail(Map.of("note", ack.note())));
                }
              }
              return each;
            },
            true);
    ack.done().complete(outcomes);
  }

  private AckOutcome acknowledgeOne(
      Connection c, long alarmId, DiagnosticsInbox.Acknowledge ack, Instant now)
      throws SQLException {
    Optional<String> status = AlarmQueries.status(c, alarmId);
    if (status.isEmpty()) {
      return AckOutcome.NOT_FOUND;
    }
    Optional<OpenAlarm> alarm = AlarmQueries.findOpen(c, alarmId);
    if (!status.get().equals("active") || alarm.isEmpty()) {
      return AckOutcome.ALREADY;
    }
    Optional<AlarmChange> change =
        engine.acknowledge(alarm.get().deviceId(), alarm.get().ruleId(), ack.by().name(), now);
    if (change.isEmpty()) {
      return AckOutcome.ALREADY;
    }
    AlarmWrites.acknowledged(c, alarmId, change.get(), ack.note());
    return AckOutcome.ACKNOWLEDGED;
  }
}
