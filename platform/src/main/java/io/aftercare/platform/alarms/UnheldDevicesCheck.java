package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmSnapshot;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.RuleKind;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.diagnostics.rules.SeverityLevel;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.PlatformHeartbeat;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What no node's engine does because no node holds the device, judged from the database: silent
 * devices raise (and escalate) their absence alarms, devices heard from again clear them, and
 * remedies whose verification window passed unnoticed are verified. Its work must run once across
 * the cluster per period ({@link #runOnce}); two runs at once raise nothing twice (see {@link
 * AlarmChangeStore}), they only do the same work twice.
 *
 * <p>Each run judges with an engine of its own, filled from the database with the devices at stake
 * only and then dropped, so it keeps no state between runs and any node can take it over.
 */
public final class UnheldDevicesCheck {

  /** Its name among the cluster-wide duties' leases. */
  public static final String DUTY = "silent devices";

  private static final Logger LOG = LoggerFactory.getLogger(UnheldDevicesCheck.class);

  /**
   * When the device was last heard from: its last data (kept at most every {@code
   * ingest.lastSeenInterval}), or its disconnect if later, as an engine that saw it go offline
   * would count; its provisioning if it never spoke.
   */
  private static final String LAST_HEARD =
      "GREATEST(COALESCE(d.last_seen_at, d.created_at), d.online_changed_at)";

  private final Jdbc jdbc;
  private final Supplier<RuleSet> rules;
  private final AlarmChangeStore store;
  private final DeviceRebuild rebuild;
  private final FixVerification verification;
  private final Clock clock;
  private final Duration verificationGrace;

  /** A stretch in which nobody listened to the devices. */
  private record Outage(Instant from, Instant to) {}

  /** From the platform's last heartbeat before this node started to the start; null if none. */
  private volatile Outage outage;

  /**
   * @param verificationGrace how long after its deadline a verification is left to the node that
   *     holds the device, before this check takes it
   */
  UnheldDevicesCheck(
      Jdbc jdbc,
      Supplier<RuleSet> rules,
      AlarmChangeStore store,
      DeviceRebuild rebuild,
      FixVerification verification,
      Clock clock,
      Duration verificationGrace) {
    this.jdbc = jdbc;
    this.rules = rules;
    this.store = store;
    this.rebuild = rebuild;
    this.verification = verification;
    this.clock = clock;
    this.verificationGrace = verificationGrace;
  }

  /**
   * Reads when the platform last listened (its heartbeat), before this node beats it: the time from
   * then to now is nobody's silence. A node that starts while others run finds a fresh heartbeat.
   */
  void start() {
    Instant now = clock.instant();
    Instant last =
        jdbc.runNow(
            c -> {
              Instant listened = PlatformHeartbeat.last(c).orElse(null);
              PlatformHeartbeat.beat(c, now);
              return listened;
            },
            true);
    if (last != null && last.isBefore(now)) {
      outage = new Outage(last, now);
      LOG.info(
          "Platform not listening from {} to {}: not counted as any device's silence", last, now);
    }
  }

  /**
   * One run at {@code now}: absence alarms raised, escalated and cleared, verifications taken.
   *
   * @param goOn asked before each alarm change: false (the platform stopping, or the duty's lease
   *     lost) ends the run early; the next run finds what is left, as it reads the database
   */
  public void runOnce(Instant now, BooleanSupplier goOn) {
    List<Rule> absence =
        rules.get().rules().stream().filter(rule -> rule.kind() == RuleKind.ABSENCE).toList();
    if (!absence.isEmpty()) {
      if (!storeWhile(silences(absence, now), goOn) || !storeWhile(heardAgain(absence), goOn)) {
        return;
      }
    }
    for (OpenAlarm alarm :
        jdbc.runNow(c -> AlarmQueries.verificationsDue(c, now.minus(verificationGrace)), false)) {
      if (!goOn.getAsBoolean()) {
        return;
      }
      DiagnosticsEngine engine = new DiagnosticsEngine(rules);
      DeviceRebuild.restore(engine, rebuild.read(alarm.deviceId()), HeldDevices.Arrived.NONE);
      verification.verified(engine, alarm, now);
    }
  }

  /** Stores {@code changes} one by one while {@code goOn}; returns whether all were stored. */
  private boolean storeWhile(List<AlarmChange> changes, BooleanSupplier goOn) {
    for (int i = 0; i < changes.size(); i++) {
      if (!goOn.getAsBoolean()) {
        LOG.info(
            "Stopping: {} of {} alarm changes of silent devices are left to the next run",
            changes.size() - i,
            changes.size());
        return false;
      }
      store.store(changes.get(i));
    }
    return true;
  }

  /**
   * Devices not connected and silent long enough to raise or escalate an absence alarm, judged as
   * an engine that tracked them all along would.
   */
  private List<AlarmChange> silences(List<Rule> absence, Instant now) {
    DiagnosticsEngine engine = new DiagnosticsEngine(rules);
    int devices =
        jdbc.runNow(
            c -> {
              Map<String, DeviceProfile> silent = new LinkedHashMap<>();
              for (Rule rule : absence) {
                silentFor(c, rule, now, silent, engine);
              }
              engine.restore(openAlarms(c, absence, silent), List.of());
              return silent.size();
            },
            false);
    if (devices == 0) {
      return List.of();
    }
    Outage before = outage;
    if (before != null) {
      engine.leaveOutOutage(before.from(), before.to());
    }
    return engine.tick(now);
  }

  /**
   * Devices silent long enough to reach one of the rule's levels whose alarm is not open at that
   * level or above: a device already alarmed is looked at again only when it may escalate.
   */
  private static void silentFor(
      Connection c,
      Rule rule,
      Instant now,
      Map<String, DeviceProfile> silent,
      DiagnosticsEngine engine)
      throws SQLException {
    List<SeverityLevel> levels = rule.levels();
    for (int level = 0; level < levels.size(); level++) {
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT d.id, d.type, d.model, d.firmware, "
                  + LAST_HEARD
                  + " AS last_seen"
                  + " FROM devices d WHERE NOT d.online AND d.service_state = 'active'"
                  + " AND "
                  + LAST_HEARD
                  + " <= ?"
                  + " AND NOT EXISTS (SELECT 1 FROM alarms a WHERE a.device_id = d.id"
                  + " AND a.rule_id = ? AND a.status <> 'cleared' AND a.severity = ANY (?))")) {
        select.setTimestamp(1, Timestamp.from(now.minus(levels.get(level).after())));
        select.setString(2, rule.id());
        select.setArray(
            3,
            c.createArrayOf(
                "text",
                levels.subList(level, levels.size()).stream()
                    .map(l -> l.severity().wireName())
                    .toArray()));
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            DeviceProfile profile = DeviceProfiles.read(rs);
            if (silent.putIfAbsent(profile.id(), profile) == null) {
              engine.trackDevice(profile, rs.getTimestamp("last_seen").toInstant(), false);
            }
          }
        }
      }
    }
  }

  /** The open alarms of {@code rules} of the given devices. */
  private static List<AlarmSnapshot> openAlarms(
      Connection c, List<Rule> rules, Map<String, DeviceProfile> devices) throws SQLException {
    if (devices.isEmpty()) {
      return List.of();
    }
    List<AlarmSnapshot> open = new ArrayList<>();
    for (AlarmSnapshot alarm : AlarmQueries.openSnapshotsOf(c, ruleIds(c, rules))) {
      if (devices.containsKey(alarm.device().id())) {
        open.add(alarm);
      }
    }
    return open;
  }

  /**
   * Open absence alarms of devices heard from since they were raised, or connected now: cleared as
   * the device's own engine clears them on its next message, for devices that no node holds (or
   * whose node has not seen the alarm).
   */
  private List<AlarmChange> heardAgain(List<Rule> absence) {
    return jdbc.runNow(
        c -> {
          List<AlarmChange> cleared = new ArrayList<>();
          for (AlarmQueries.HeardAgain heard :
              AlarmQueries.heardSinceRaised(c, ruleIds(c, absence))) {
            DiagnosticsEngine engine = new DiagnosticsEngine(rules);
            engine.restore(List.of(heard.alarm()), List.of());
            cleared.addAll(engine.onHeardFrom(heard.alarm().device(), heard.at()));
          }
          return cleared;
        },
        false);
  }

  private static Array ruleIds(Connection c, List<Rule> rules) throws SQLException {
    return c.createArrayOf("text", rules.stream().map(Rule::id).toArray());
  }
}
