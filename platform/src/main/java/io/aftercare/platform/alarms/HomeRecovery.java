package io.aftercare.platform.alarms;

import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.remediation.RemediationPolicy;
import io.aftercare.platform.remediation.RemoteFixFirst;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A home that came back while some of its devices did not: those are not down because of the home
 * (nor of its hub, nor of its network, for the other kinds of home alarm). Once the outage no
 * longer holds among the home alarm's device alarms (fewer than {@code minDevices}, or less than
 * {@code fraction} of the home's devices, still open) and the latest of them cleared at least
 * {@code window} ago (devices slower to reconnect have had their time), the home alarm clears and
 * the device alarms still open are released: unlinked, and given the decision they were spared (a
 * remedy or a ticket), woken after the commit if a remedy went out. A cluster-wide duty, run with
 * the silent-devices check; two runs at once release nothing twice (the home lock, then the alarm's
 * state).
 */
final class HomeRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(HomeRecovery.class);

  private final Jdbc jdbc;
  private final RemoteFixFirst remoteFixFirst;
  private final RemediationPolicy policy;
  private final CommandService commands;
  private final AftercareConfig.HomeOutage config;

  HomeRecovery(
      Jdbc jdbc,
      RemoteFixFirst remoteFixFirst,
      CommandService commands,
      AftercareConfig.HomeOutage config) {
    this.jdbc = jdbc;
    this.commands = commands;
    this.remoteFixFirst = remoteFixFirst;
    this.policy = remoteFixFirst.policy();
    this.config = config;
  }

  void runOnce(Instant now, BooleanSupplier goOn) {
    for (long homeAlarmId : jdbc.runNow(c -> recovered(c, now), false)) {
      if (!goOn.getAsBoolean()) {
        return;
      }
      try {
        Set<String> toWake = new LinkedHashSet<>();
        jdbc.runNow(c -> release(c, homeAlarmId, now, toWake), true);
        toWake.forEach(commands::wake);
      } catch (RuntimeException e) {
        LOG.error("Could not release the devices of home alarm {}", homeAlarmId, e);
      }
    }
  }

  /** Active home alarms whose home is back, by the rule above. */
  private List<Long> recovered(Connection c, Instant now) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT h.id FROM home_alarms h"
                + " JOIN LATERAL (SELECT count(*) FILTER (WHERE a.status <> 'cleared') AS open,"
                + " max(a.cleared_at) AS last_cleared FROM alarms a WHERE a.home_alarm_id = h.id)"
                + " s ON true WHERE h.status = 'active' AND s.open > 0"
                // A hub failure is every device behind the hub: it no longer holds once one is
                // back.
                + " AND (s.open < ? OR s.open < CASE h.kind WHEN 'hub_failure' THEN h.devices_total"
                + " ELSE ? * h.devices_total END) AND s.last_cleared <= ?"
                + " ORDER BY h.id")) {
      select.setInt(1, config.minDevices());
      select.setDouble(2, config.fraction());
      select.setTimestamp(3, Timestamp.from(now.minus(config.window())));
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }

  /**
   * Clears the home alarm and releases its open device alarms. Their rows are locked before the
   * home, as a device alarm's change locks its row first (no deadlock with one being cleared now).
   */
  private Void release(Connection c, long homeAlarmId, Instant now, Set<String> toWake)
      throws SQLException {
    List<OpenAlarm> stillDown = new ArrayList<>();
    for (long alarmId : openLinked(c, homeAlarmId)) {
      AlarmQueries.findOpen(c, alarmId).ifPresent(stillDown::add);
    }
    Optional<String> home = activeHome(c, homeAlarmId);
    if (home.isEmpty()) {
      return null;
    }
    HomeOutages.lockHome(c, home.get());
    if (activeHome(c, homeAlarmId).isEmpty()) {
      return null;
    }
    try (PreparedStatement clear =
        c.prepareStatement(
            "UPDATE home_alarms SET status = 'cleared', cleared_at = ? WHERE id = ?")) {
      clear.setTimestamp(1, Timestamp.from(now));
      clear.setLong(2, homeAlarmId);
      clear.executeUpdate();
    }
    for (OpenAlarm alarm : stillDown) {
      try (PreparedStatement unlink =
          c.prepareStatement("UPDATE alarms SET home_alarm_id = NULL WHERE id = ?")) {
        unlink.setLong(1, alarm.id());
        unlink.executeUpdate();
      }
      if (!FleetIncidents.explains(c, alarm.id())) {
        // One a fleet incident still explains keeps no ticket: the incident stands for it.
        remoteFixFirst.apply(c, alarm, policy.onRaised(alarm), now, toWake);
      }
    }
    LOG.info(
        "Home alarm {} cleared: the home is back; {} device alarms still open released to"
            + " remote-fix-first",
        homeAlarmId,
        stillDown.size());
    return null;
  }

  private static List<Long> openLinked(Connection c, long homeAlarmId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM alarms WHERE home_alarm_id = ? AND status <> 'cleared' ORDER BY id")) {
      select.setLong(1, homeAlarmId);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }

  private static Optional<String> activeHome(Connection c, long homeAlarmId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT home_index FROM home_alarms WHERE id = ? AND status = 'active'")) {
      select.setLong(1, homeAlarmId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }
}
