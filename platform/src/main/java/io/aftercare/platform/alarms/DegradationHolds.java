package io.aftercare.platform.alarms;

import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.db.Jdbc;
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
 * Releases the degradation alarms {@link HomeDegradations} held whose window passed without their
 * home turning out degraded as a whole: the fault is the device's, and it gets the decision it was
 * spared (its remedy, or its ticket), woken after the commit if a remedy went out. A cluster-wide
 * duty, run with the silent-devices check; the hold being a column, a restart or another node takes
 * it over. Each release takes the home's lock before the alarm's row, as {@link HomeDegradations}
 * does when it links held alarms: an alarm is either linked or released, once.
 */
final class DegradationHolds {

  private static final Logger LOG = LoggerFactory.getLogger(DegradationHolds.class);

  private final Jdbc jdbc;
  private final RemoteFixFirst remoteFixFirst;
  private final CommandService commands;

  DegradationHolds(Jdbc jdbc, RemoteFixFirst remoteFixFirst, CommandService commands) {
    this.jdbc = jdbc;
    this.remoteFixFirst = remoteFixFirst;
    this.commands = commands;
  }

  void runOnce(Instant now, BooleanSupplier goOn) {
    for (long alarmId : jdbc.runNow(c -> due(c, now), true)) {
      if (!goOn.getAsBoolean()) {
        return;
      }
      try {
        Set<String> toWake = new LinkedHashSet<>();
        jdbc.runNow(c -> release(c, alarmId, now, toWake), true);
        toWake.forEach(commands::wake);
      } catch (RuntimeException e) {
        LOG.error("Could not release held alarm {}", alarmId, e);
      }
    }
  }

  /**
   * Open held alarms whose window has passed; holds of alarms that cleared meanwhile are dropped.
   */
  private static List<Long> due(Connection c, Instant now) throws SQLException {
    try (PreparedStatement forget =
        c.prepareStatement(
            "UPDATE alarms SET home_hold_until = NULL"
                + " WHERE home_hold_until IS NOT NULL AND status = 'cleared'")) {
      forget.executeUpdate();
    }
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM alarms WHERE home_hold_until <= ? AND status <> 'cleared'"
                + " ORDER BY id")) {
      select.setTimestamp(1, Timestamp.from(now));
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }

  private Void release(Connection c, long alarmId, Instant now, Set<String> toWake)
      throws SQLException {
    Optional<String> home = homeOf(c, alarmId);
    if (home.isEmpty()) {
      return null;
    }
    HomeOutages.lockHome(c, home.get());
    Optional<OpenAlarm> alarm = AlarmQueries.findOpen(c, alarmId);
    if (alarm.isEmpty() || !stillHeld(c, alarmId)) {
      // Cleared, linked to a home alarm, or released by another run meanwhile.
      return null;
    }
    try (PreparedStatement release =
        c.prepareStatement("UPDATE alarms SET home_hold_until = NULL WHERE id = ?")) {
      release.setLong(1, alarmId);
      release.executeUpdate();
    }
    LOG.info(
        "Alarm {} of device {} released: its home did not degrade with it",
        alarmId,
        alarm.get().deviceId());
    remoteFixFirst.apply(
        c, alarm.get(), remoteFixFirst.policy().onRaised(alarm.get()), now, toWake);
    return null;
  }

  private static Optional<String> homeOf(Connection c, long alarmId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT d.home_id_index FROM alarms a JOIN devices d ON d.id = a.device_id"
                + " WHERE a.id = ?")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        // A device whose home was edited away meanwhile is released under no home's lock.
        return rs.next()
            ? Optional.of(rs.getString(1) == null ? "" : rs.getString(1))
            : Optional.empty();
      }
    }
  }

  private static boolean stillHeld(Connection c, long alarmId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT home_hold_until IS NOT NULL AND home_alarm_id IS NULL FROM alarms"
                + " WHERE id = ?")) {
      select.setLong(1, alarmId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }
}
