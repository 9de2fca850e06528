package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.rules.RuleKind;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.remediation.RemoteFixFirst;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Root cause across the devices of one home: a power or internet outage at home silences most of
 * them at once, and one home alarm explains their absence alarms instead of a ticket each
 * (docs/diagnostics.md, "Root cause across devices: homes"). The same judgement, made when a device
 * alarm is raised, blames a hub for the devices behind it ({@link HubFailures}) and the home's
 * network for most of its devices degrading together ({@link HomeDegradations}).
 *
 * <p>Judged from the database inside the transaction that raises or clears a device's absence
 * alarm, so it holds whichever node raises it (devices of one home may be held by different nodes)
 * and after a restart. The transaction first takes a lock on the home ({@code
 * pg_advisory_xact_lock}): two nodes raising alarms of one home, or one raising while another
 * clears, see each other's work, so one home alarm is raised and none is cleared under a device
 * alarm being linked to it.
 */
final class HomeOutages {

  private static final Logger LOG = LoggerFactory.getLogger(HomeOutages.class);

  static final String DESCRIPTION = "Power or internet outage at home";

  /** As {@link UnheldDevicesCheck} counts a device's silence. */
  static final String LAST_HEARD =
      "GREATEST(COALESCE(last_seen_at, created_at), online_changed_at)";

  /** What a new device alarm's home says about its remote-fix-first decision. */
  enum Verdict {
    /** A home alarm explains it: no remedy, no ticket. */
    EXPLAINED,
    /**
     * Undecided for now: its home may yet turn out degraded as a whole ({@link DegradationHolds}).
     */
    HELD,
    /** Its own fault: the usual decision. */
    OWN
  }

  private final Supplier<RuleSet> rules;
  private final AftercareConfig.HomeOutage config;
  private final HubFailures hubs;
  private final HomeDegradations degradations;

  HomeOutages(
      Supplier<RuleSet> rules, AftercareConfig.HomeOutage config, RemoteFixFirst remoteFixFirst) {
    this.rules = rules;
    this.config = config;
    this.hubs = new HubFailures(config);
    this.degradations = new HomeDegradations(rules, config, remoteFixFirst);
  }

  /**
   * Judges a device alarm just raised (its row locked, in {@code c}): an absence alarm explained by
   * its home's outage or its hub's failure, a degradation alarm explained by its home's network or
   * held to see, or the alarm's own fault.
   */
  Verdict judge(Connection c, OpenAlarm alarm, Instant now) throws SQLException {
    if (isAbsence(alarm.ruleId())) {
      return explain(c, alarm, now).isPresent() ? Verdict.EXPLAINED : Verdict.OWN;
    }
    if (config.degradationRules() != null && config.degradationRules().contains(alarm.ruleId())) {
      return degradations.judge(c, alarm, now);
    }
    return Verdict.OWN;
  }

  /**
   * Whether a home outage, or the failure of the device's hub, explains the absence alarm just
   * raised: the home's open home alarm, or one raised now because enough of its devices went
   * offline together; then the hub's. The device alarm is then linked to it. A home outage wins
   * over a hub failure: when most of the home is down, the hub is down with it for the same reason.
   *
   * @return the home alarm that explains it; empty for a device of no home, or a home mostly online
   *     and no failed hub in front of the device
   */
  private Optional<Long> explain(Connection c, OpenAlarm alarm, Instant now) throws SQLException {
    Optional<Silence> silence = silenceOf(c, alarm.deviceId());
    if (silence.isEmpty()) {
      return Optional.empty();
    }
    String home = silence.get().home();
    lockHome(c, home);
    Optional<Long> open = HomeAlarmRows.open(c, home, HomeAlarmKind.OUTAGE, null);
    Optional<Long> explaining = open.isPresent() ? open : raiseIfOutage(c, silence.get(), now);
    if (explaining.isEmpty() && silence.get().hubId() != null) {
      explaining = hubs.explain(c, home, silence.get().hubId(), silence.get().since(), now);
    }
    if (explaining.isPresent()) {
      HomeAlarmRows.link(c, alarm.id(), explaining.get());
      LOG.info(
          "Alarm {} of device {} explained by home alarm {}: no ticket of its own",
          alarm.id(),
          alarm.deviceId(),
          explaining.get());
    }
    return explaining;
  }

  /**
   * A device alarm linked to a home alarm cleared (in {@code c}, before this call): the home alarm
   * clears with the last of its device alarms, the home having come back.
   */
  static void deviceAlarmCleared(Connection c, long alarmId, Instant at) throws SQLException {
    Optional<HomeLink> link = homeLinkOf(c, alarmId);
    if (link.isEmpty()) {
      return;
    }
    lockHome(c, link.get().home());
    try (PreparedStatement clear =
        c.prepareStatement(
            "UPDATE home_alarms h SET status = 'cleared', cleared_at = ?"
                + " WHERE h.id = ? AND h.status = 'active' AND NOT EXISTS (SELECT 1 FROM alarms a"
                + " WHERE a.home_alarm_id = h.id AND a.status <> 'cleared')")) {
      clear.setTimestamp(1, Timestamp.from(at));
      clear.setLong(2, link.get().homeAlarmId());
      if (clear.executeUpdate() == 1) {
        LOG.info("Home alarm {} cleared: its devices are back", link.get().homeAlarmId());
      }
    }
  }

  private boolean isAbsence(String ruleId) {
    return rules.get().rules().stream()
        .anyMatch(rule -> rule.id().equals(ruleId) && rule.kind() == RuleKind.ABSENCE);
  }

  /**
   * The device's home (its blind index), the hub it sits behind if any, and when its silence began;
   * empty for no home.
   */
  private record Silence(String home, String hubId, Instant since) {}

  private static Optional<Silence> silenceOf(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT home_id_index, hub_id, "
                + LAST_HEARD
                + " AS since FROM devices WHERE id = ? AND home_id_index IS NOT NULL")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Silence(
                    rs.getString("home_id_index"),
                    rs.getString("hub_id"),
                    rs.getTimestamp("since").toInstant()))
            : Optional.empty();
      }
    }
  }

  private record HomeLink(long homeAlarmId, String home) {}

  private static Optional<HomeLink> homeLinkOf(Connection c, long alarmId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT h.id, h.home_index FROM alarms a JOIN home_alarms h ON h.id = a.home_alarm_id"
                + " WHERE a.id = ?")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next()
            ? Optional.of(new HomeLink(rs.getLong(1), rs.getString(2)))
            : Optional.empty();
      }
    }
  }

  /** Serialises this transaction's home-alarm work on the home across nodes, until it ends. */
  static void lockHome(Connection c, String home) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended('home:' || ?, 0))")) {
      lock.setString(1, home);
      lock.executeQuery().close();
    }
  }

  /**
   * Raises the home alarm when enough of the home's devices in service are offline, their silences
   * having begun within the window around this device's.
   */
  private Optional<Long> raiseIfOutage(Connection c, Silence silence, Instant now)
      throws SQLException {
    int total;
    int offline;
    try (PreparedStatement count =
        c.prepareStatement(
            "SELECT count(*), count(*) FILTER (WHERE NOT online AND "
                + LAST_HEARD
                + " BETWEEN ? AND ?) FROM devices"
                + " WHERE home_id_index = ? AND service_state = 'active'")) {
      count.setTimestamp(1, Timestamp.from(silence.since().minus(config.window())));
      count.setTimestamp(2, Timestamp.from(silence.since().plus(config.window())));
      count.setString(3, silence.home());
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        total = rs.getInt(1);
        offline = rs.getInt(2);
      }
    }
    if (offline < config.minDevices() || offline < config.fraction() * total) {
      return Optional.empty();
    }
    long id =
        HomeAlarmRows.insert(
            c,
            new HomeAlarmRows.Raise(
                silence.home(), HomeAlarmKind.OUTAGE, null, DESCRIPTION, total, offline),
            now);
    LOG.info(
        "Home alarm {} raised: {} of the home's {} devices went offline together",
        id,
        offline,
        total);
    return Optional.of(id);
  }
}
