package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.remediation.RemoteFixFirst;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A home whose network degraded: most of its devices raise the same degradation alarm ({@code
 * diagnostics.homeOutage.degradationRules}: wifi_weak, wifi_flapping, connection_flapping) within
 * {@code window} of each other. One home alarm of kind {@code degraded} explains them: a
 * reset_network on five devices does not fix the home's router, and five tickets do not either.
 *
 * <p>Unlike an outage, the home's other devices show nothing yet when the first alarm is raised:
 * their alarms come one by one. So the first ones are <b>held</b>: left undecided, with {@code
 * alarms.home_hold_until} one window ahead, while the home could still turn out degraded as a whole
 * (it has at least {@code minDevices} devices in service the rule watches). The alarm that makes
 * most of the home degraded raises the home alarm and links itself and the held ones, whose
 * decision becomes "no remedy, no ticket". A held alarm whose window passes alone is released to
 * its usual remedy or ticket ({@link DegradationHolds}). Called with the alarm's row locked; takes
 * the home's lock.
 */
final class HomeDegradations {

  private static final Logger LOG = LoggerFactory.getLogger(HomeDegradations.class);

  static final String DESCRIPTION = "Home network degraded";

  private final Supplier<RuleSet> rules;
  private final AftercareConfig.HomeOutage config;
  private final RemoteFixFirst remoteFixFirst;

  HomeDegradations(
      Supplier<RuleSet> rules, AftercareConfig.HomeOutage config, RemoteFixFirst remoteFixFirst) {
    this.rules = rules;
    this.config = config;
    this.remoteFixFirst = remoteFixFirst;
  }

  HomeOutages.Verdict judge(Connection c, OpenAlarm alarm, Instant now) throws SQLException {
    Optional<String> home = homeOf(c, alarm.deviceId());
    Optional<Rule> rule =
        rules.get().rules().stream().filter(r -> r.id().equals(alarm.ruleId())).findFirst();
    if (home.isEmpty() || rule.isEmpty()) {
      return HomeOutages.Verdict.OWN;
    }
    HomeOutages.lockHome(c, home.get());
    Optional<Long> open = HomeAlarmRows.open(c, home.get(), HomeAlarmKind.DEGRADED, null);
    if (open.isPresent()) {
      HomeAlarmRows.link(c, alarm.id(), open.get());
      LOG.info(
          "Alarm {} of device {} explained by degraded home alarm {}: no remedy, no ticket",
          alarm.id(),
          alarm.deviceId(),
          open.get());
      return HomeOutages.Verdict.EXPLAINED;
    }
    int watched = watchedDevices(c, home.get(), rule.get());
    if (watched < Math.max(2, config.minDevices())) {
      // Too few devices for the home to be judged degraded as a whole: decided at once.
      return HomeOutages.Verdict.OWN;
    }
    int degraded = held(c, home.get(), alarm.ruleId()).size() + 1;
    if (degraded < config.minDevices() || degraded < config.fraction() * watched) {
      hold(c, alarm.id(), now.plus(config.window()));
      LOG.info(
          "Alarm {} of device {} held for {}: its home may be degraded as a whole",
          alarm.id(),
          alarm.deviceId(),
          config.window());
      return HomeOutages.Verdict.HELD;
    }
    long homeAlarm =
        HomeAlarmRows.insert(
            c,
            new HomeAlarmRows.Raise(
                home.get(), HomeAlarmKind.DEGRADED, null, DESCRIPTION, watched, degraded),
            now);
    HomeAlarmRows.link(c, alarm.id(), homeAlarm);
    // The held alarms of the home's other degradation rules too: one router behind them all.
    for (long heldId : held(c, home.get(), null)) {
      Optional<OpenAlarm> other = AlarmQueries.findOpen(c, heldId);
      if (other.isPresent()) {
        HomeAlarmRows.link(c, heldId, homeAlarm);
        remoteFixFirst.apply(
            c, other.get(), remoteFixFirst.policy().onExplainedByHome(), now, new HashSet<>());
      }
    }
    LOG.info(
        "Home alarm {} raised: {} of the home's {} devices raised {} together",
        homeAlarm,
        degraded,
        watched,
        alarm.ruleId());
    return HomeOutages.Verdict.EXPLAINED;
  }

  private static Optional<String> homeOf(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT home_id_index FROM devices WHERE id = ? AND home_id_index IS NOT NULL")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** The home's devices in service of the types the rule watches. */
  private static int watchedDevices(Connection c, String home, Rule rule) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT type, count(*) FROM devices WHERE home_id_index = ?"
                + " AND service_state = 'active' GROUP BY type")) {
      select.setString(1, home);
      int watched = 0;
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          if (rule.appliesToType(rs.getString(1))) {
            watched += rs.getInt(2);
          }
        }
      }
      return watched;
    }
  }

  /**
   * The home's open alarms still held, of the rule ({@code null}: of any): those the home alarm may
   * yet explain. Ones already released have had their remedy or ticket and keep it.
   */
  private static List<Long> held(Connection c, String home, String ruleId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT a.id FROM alarms a JOIN devices d ON d.id = a.device_id"
                + " WHERE d.home_id_index = ? AND (?::text IS NULL OR a.rule_id = ?)"
                + " AND a.status <> 'cleared' AND a.home_hold_until IS NOT NULL ORDER BY a.id")) {
      select.setString(1, home);
      select.setString(2, ruleId);
      select.setString(3, ruleId);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }

  private static void hold(Connection c, long alarmId, Instant until) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE alarms SET home_hold_until = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(until));
      update.setLong(2, alarmId);
      update.executeUpdate();
    }
  }
}
