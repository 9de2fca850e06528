package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.domain.Telemetry;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.DeviceFirmware;
import io.aftercare.platform.device.PlatformHeartbeat;
import io.aftercare.platform.ingest.Uplink;
import io.aftercare.platform.remediation.AlarmDecisions;
import io.aftercare.platform.remediation.RemoteFixFirst;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the diagnostics thread does with each input. The engine evaluates the devices this node
 * holds ({@link HeldDevices}): a device's first input here rebuilds its state from the database
 * ({@link DeviceRebuild}) before it is evaluated, and a device that went offline or idle here is
 * released. {@link AlarmChangeStore} stores each alarm change with its decision; silent devices and
 * verifications no holder took are {@link UnheldDevicesCheck}'s.
 */
public final class DiagnosticsHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsHandlers.class);

  /**
   * A held device that sent nothing here for this long is released even if it never went offline
   * here (CoAP has no connection): its state is rebuilt from the database if it comes back, a
   * handful of indexed reads, while state kept for a device now sending to another node could judge
   * counting windows on stale evidence.
   */
  static final Duration IDLE_RELEASE = Duration.ofMinutes(10);

  /**
   * Devices new to this node rebuilt per transaction. Bounds what one read holds in memory (up to a
   * restore window of history per device) while a fleet arriving at once, say at a node's start or
   * after another node failed, costs a transaction per this many devices rather than per device.
   */
  static final int REBUILD_BATCH = 50;

  private final Jdbc jdbc;
  private final DiagnosticsEngine engine;
  private final DeviceProfiles profiles;
  private final HeldDevices held;
  private final DeviceRebuild rebuild;
  private final AlarmChangeStore store;
  private final AlarmDecisions decisions;
  private final FixVerification verification;
  private final UnheldDevicesCheck unheld;
  private final HomeRecovery homeRecovery;
  private final DegradationHolds degradationHolds;
  private final FleetRecovery fleetRecovery;
  private final Clock clock;
  private final Duration offlineGrace;
  private final BooleanSupplier silentDevicesDuty;

  /**
   * @param tickInterval how often ticks come: a device that went offline here is released two ticks
   *     after its last input, and a verification is left to the device's holder for as long
   * @param homeOutage when the absence alarms of a home's devices are explained by a home alarm
   * @param fleet when many homes' absence alarms are explained by a fleet incident
   * @param silentDevicesDuty whether this node holds the cluster-wide duty of checking the devices
   *     no node holds ({@link UnheldDevicesCheck}), homes back from an outage ({@link
   *     HomeRecovery}), degradation alarms held for their home ({@link DegradationHolds}) and fleet
   *     outages over ({@link FleetRecovery}); with one node, always
   */
  public DiagnosticsHandlers(
      Jdbc jdbc,
      DeviceProfiles profiles,
      DiagnosticsEngine engine,
      Supplier<RuleSet> rules,
      RemoteFixFirst remoteFixFirst,
      AlarmDecisions decisions,
      CommandService commands,
      Clock clock,
      Duration restoreWindow,
      Duration tickInterval,
      AftercareConfig.HomeOutage homeOutage,
      FleetIncidents fleet,
      BooleanSupplier silentDevicesDuty) {
    this.jdbc = jdbc;
    this.silentDevicesDuty = silentDevicesDuty;
    this.engine = engine;
    this.profiles = profiles;
    this.held = new HeldDevices();
    this.rebuild = new DeviceRebuild(jdbc, clock, restoreWindow);
    this.store =
        new AlarmChangeStore(
            jdbc,
            remoteFixFirst,
            commands,
            new HomeOutages(rules, homeOutage, remoteFixFirst),
            fleet,
            clock);
    this.decisions = decisions;
    this.verification = new FixVerification(jdbc, store, decisions, remoteFixFirst.policy());
    this.offlineGrace = tickInterval.multipliedBy(2);
    this.unheld =
        new UnheldDevicesCheck(
            jdbc, rules, store, rebuild, verification, clock, tickInterval.multipliedBy(2));
    this.homeRecovery = new HomeRecovery(jdbc, remoteFixFirst, commands, homeOutage);
    this.degradationHolds = new DegradationHolds(jdbc, remoteFixFirst, commands);
    this.fleetRecovery = new FleetRecovery(jdbc, fleet, remoteFixFirst, commands);
    this.clock = clock;
  }

  HeldDevices held() {
    return held;
  }

  /** Before the first input: notes the time nobody listened (see {@link UnheldDevicesCheck}). */
  void start() {
    unheld.start();
  }

  /**
   * @param running false once the platform is stopping: periodic work is then cut short
   */
  void handle(DiagnosticsInbox.Input input, BooleanSupplier running) throws SQLException {
    if (input instanceof DiagnosticsInbox.Committed committed) {
      holdNewDevices(committed.uplinks());
      for (Uplink uplink : committed.uplinks()) {
        try {
          evaluate(uplink);
        } catch (RuntimeException | SQLException e) {
          // The batch's other devices are still evaluated.
          LOG.error("Diagnostics could not evaluate an uplink of device {}", uplink.deviceId(), e);
        }
      }
    } else if (input instanceof DiagnosticsInbox.Connectivity change) {
      connectivity(change);
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
    hold(profile.get());
    if (uplink instanceof Uplink.TelemetryBatch batch) {
      for (Telemetry document : batch.documents()) {
        store.store(engine.onTelemetry(profile.get(), document));
      }
    } else if (uplink instanceof Uplink.Event event) {
      store.store(engine.onEvent(profile.get(), event.event()));
    }
    held.touched(uplink.deviceId(), clock.instant(), null);
  }

  /**
   * A connection change. Going offline here is not evaluated for a device not held here: its
   * silence is {@link UnheldDevicesCheck}'s to judge, and the record is in the history a later
   * rebuild replays (which is why {@link DiagnosticsRunner} does not note it as an arrival).
   */
  private void connectivity(DiagnosticsInbox.Connectivity change) throws SQLException {
    Optional<DeviceProfile> profile = profiles.of(change.deviceId());
    if (profile.isEmpty() || (!change.change().online() && !held.isHeld(change.deviceId()))) {
      return;
    }
    hold(profile.get());
    store.store(engine.onConnectivity(profile.get(), change.change(), change.at()));
    held.touched(change.deviceId(), clock.instant(), change.change().online());
  }

  /**
   * Rebuilds the devices of a committed batch that this node does not hold yet, {@link
   * #REBUILD_BATCH} per transaction. One whose rebuild failed here is rebuilt on its own when its
   * input is evaluated.
   */
  private void holdNewDevices(List<Uplink> uplinks) {
    Set<String> unheld = new LinkedHashSet<>();
    for (Uplink uplink : uplinks) {
      if (!held.isHeld(uplink.deviceId())) {
        unheld.add(uplink.deviceId());
      }
    }
    if (unheld.size() < 2) {
      return;
    }
    try {
      profiles.load(unheld);
      List<DeviceProfile> provisioned = new ArrayList<>();
      for (String deviceId : unheld) {
        profiles.of(deviceId).ifPresent(provisioned::add);
      }
      for (int from = 0; from < provisioned.size(); from += REBUILD_BATCH) {
        hold(provisioned.subList(from, Math.min(provisioned.size(), from + REBUILD_BATCH)));
      }
    } catch (RuntimeException | SQLException e) {
      LOG.warn("Diagnostics could not rebuild a batch's new devices together: {}", e.toString());
    }
  }

  private void hold(List<DeviceProfile> devices) {
    Map<String, DeviceRebuild.Stored> stored =
        rebuild.read(devices.stream().map(DeviceProfile::id).toList());
    Instant now = clock.instant();
    for (DeviceProfile device : devices) {
      HeldDevices.Arrived arrived = held.hold(device.id(), now);
      engine.forget(device.id());
      DeviceRebuild.restore(engine, stored.get(device.id()), arrived);
    }
  }

  /** Rebuilds the device's state from the database unless this node holds it already. */
  private void hold(DeviceProfile profile) {
    if (held.isHeld(profile.id())) {
      return;
    }
    DeviceRebuild.Stored stored = rebuild.read(profile.id());
    HeldDevices.Arrived arrived = held.hold(profile.id(), clock.instant());
    engine.forget(profile.id());
    DeviceRebuild.restore(engine, stored, arrived);
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
    for (String deviceId : held.releaseIdle(now, offlineGrace, IDLE_RELEASE)) {
      engine.forget(deviceId);
    }
    List<AlarmChange> changes = engine.tickWindows(now);
    for (int i = 0; i < changes.size(); i++) {
      if (!running.getAsBoolean()) {
        LOG.info(
            "Stopping: {} of this tick's {} alarm changes are left to the next start",
            changes.size() - i,
            changes.size());
        return;
      }
      store.store(changes.get(i));
    }
    for (OpenAlarm alarm : jdbc.runNow(c -> AlarmQueries.verificationsDue(c, now), false)) {
      if (held.isHeld(alarm.deviceId())) {
        verification.verified(engine, alarm, now);
      }
    }
    // A cluster-wide duty: one node at a time runs it, on its tick, while it holds the lease.
    if (silentDevicesDuty.getAsBoolean()) {
      BooleanSupplier goOn = () -> running.getAsBoolean() && silentDevicesDuty.getAsBoolean();
      unheld.runOnce(now, goOn);
      homeRecovery.runOnce(now, goOn);
      degradationHolds.runOnce(now, goOn);
      fleetRecovery.runOnce(now, goOn);
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
    Optional<DeviceProfile> profile = profiles.of(alarm.get().deviceId());
    if (profile.isEmpty()) {
      return AckOutcome.ALREADY;
    }
    // Staff may acknowledge on any node: the engine that stores it holds the device from now on.
    hold(profile.get());
    Optional<AlarmChange> change =
        engine.acknowledge(alarm.get().deviceId(), alarm.get().ruleId(), ack.by().name(), now);
    if (change.isEmpty()) {
      return AckOutcome.ALREADY;
    }
    AlarmWrites.acknowledged(c, alarmId, change.get(), ack.note());
    return AckOutcome.ACKNOWLEDGED;
  }
}
