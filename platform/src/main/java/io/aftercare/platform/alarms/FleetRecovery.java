package io.aftercare.platform.alarms;

import io.aftercare.platform.command.CommandService;
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
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a fleet outage that did not end with its last alarm (docs/diagnostics.md, "Root cause
 * across devices: fleet incidents"). A cluster-wide duty, run with the silent-devices check:
 *
 * <ul>
 *   <li><b>The rest came back.</b> Once fewer than {@code minHomes} homes are still down among the
 *       incident's open alarms and the latest of its alarms cleared at least {@code window} ago
 *       (devices slower to reconnect have had their time), the incident records the recovery and is
 *       resolved; the devices still down are not down because of the outage: their alarms are
 *       unlinked and given the decision they were spared (a remedy or a ticket). One explained by
 *       its home alarm stays with it ({@link HomeRecovery} releases it when the home is back).
 *   <li><b>Staff resolved it first.</b> An incident staff resolved or closed while devices were
 *       still down releases them the same way: staff judged the outage over.
 * </ul>
 *
 * Two runs at once release nothing twice: each alarm's row is locked, then the fleet, and the
 * incident's state is read again under the lock.
 */
final class FleetRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(FleetRecovery.class);

  private final Jdbc jdbc;
  private final FleetIncidents fleet;
  private final RemoteFixFirst remoteFixFirst;
  private final RemediationPolicy policy;
  private final CommandService commands;

  FleetRecovery(
      Jdbc jdbc, FleetIncidents fleet, RemoteFixFirst remoteFixFirst, CommandService commands) {
    this.jdbc = jdbc;
    this.fleet = fleet;
    this.remoteFixFirst = remoteFixFirst;
    this.policy = remoteFixFirst.policy();
    this.commands = commands;
  }

  void runOnce(Instant now, BooleanSupplier goOn) {
    for (Ending ending : jdbc.runNow(c -> ending(c, now), false)) {
      if (!goOn.getAsBoolean()) {
        return;
      }
      try {
        Set<String> toWake = new LinkedHashSet<>();
        jdbc.runNow(c -> end(c, ending, now, toWake), true);
        toWake.forEach(commands::wake);
      } catch (RuntimeException e) {
        LOG.error("Could not end fleet incident {}", ending.incident(), e);
      }
    }
  }

  /**
   * @param byStaff staff resolved or closed the incident while it was followed
   */
  private record Ending(long incident, boolean byStaff) {}

  /** Open fleet incidents that are over, by the rules above. */
  private List<Ending> ending(Connection c, Instant now) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT f.incident_id, i.status IN ('resolved', 'closed') AS by_staff"
                + " FROM fleet_incidents f JOIN incidents i ON i.id = f.incident_id"
                + " JOIN LATERAL (SELECT count(DISTINCT COALESCE(d.home_id_index, 'device:' || d.id))"
                + " FILTER (WHERE a.status <> 'cleared') AS homes_down,"
                + " max(a.cleared_at) AS last_cleared FROM alarms a JOIN devices d"
                + " ON d.id = a.device_id WHERE a.incident_id = f.incident_id) s ON true"
                + " WHERE f.status = 'open' AND (i.status IN ('resolved', 'closed')"
                + " OR (s.homes_down < ? AND s.last_cleared <= ?)) ORDER BY f.incident_id")) {
      select.setInt(1, fleet.config().minHomes());
      select.setTimestamp(2, Timestamp.from(now.minus(fleet.config().window())));
      List<Ending> endings = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          endings.add(new Ending(rs.getLong(1), rs.getBoolean(2)));
        }
      }
      return endings;
    }
  }

  /**
   * Ends the incident and releases its open alarms. Their rows are locked before the fleet, as a
   * device alarm's change locks its row first (no deadlock with one being cleared now).
   */
  private Void end(Connection c, Ending ending, Instant now, Set<String> toWake)
      throws SQLException {
    long incident = ending.incident();
    List<OpenAlarm> stillDown = new ArrayList<>();
    List<Long> explainedByHome = new ArrayList<>();
    for (long alarmId : openLinked(c, incident, explainedByHome)) {
      AlarmQueries.findOpen(c, alarmId).ifPresent(stillDown::add);
    }
    FleetIncidents.lockFleet(c);
    if (!FleetIncidents.isOpen(c, incident)) {
      return null;
    }
    FleetIncidents.end(c, incident, now);
    List<String> released = new ArrayList<>();
    for (OpenAlarm alarm : stillDown) {
      try (PreparedStatement unlink =
          c.prepareStatement("UPDATE alarms SET incident_id = NULL WHERE id = ?")) {
        unlink.setLong(1, alarm.id());
        unlink.executeUpdate();
      }
      released.add(alarm.deviceId());
      if (!explainedByHome.contains(alarm.id())) {
        remoteFixFirst.apply(c, alarm, policy.onRaised(alarm), now, toWake);
      }
    }
    if (!released.isEmpty()) {
      fleet
          .desk()
          .devicesReleased(
              c,
              incident,
              released,
              released.size()
                  + (ending.byStaff()
                      ? " devices still down when the incident was resolved: each handled on its own"
                      : " devices still down after the rest came back: each handled on its own"),
              FleetIncidents.ACTOR,
              now);
    }
    if (!ending.byStaff()) {
      fleet.recovered(
          c,
          incident,
          "the affected devices are back"
              + (released.isEmpty() ? "" : ", but for " + released.size() + " released"),
          now);
    }
    LOG.info(
        "Fleet incident {} over{}: {} device alarms still open released to remote-fix-first",
        incident,
        ending.byStaff() ? " (resolved by staff)" : "",
        released.size());
    return null;
  }

  /** The incident's open alarms, in id order; those a home alarm also explains are noted. */
  private static List<Long> openLinked(Connection c, long incident, List<Long> explainedByHome)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, home_alarm_id IS NOT NULL FROM alarms WHERE incident_id = ?"
                + " AND status <> 'cleared' ORDER BY id")) {
      select.setLong(1, incident);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
          if (rs.getBoolean(2)) {
            explainedByHome.add(rs.getLong(1));
          }
        }
      }
      return ids;
    }
  }
}
