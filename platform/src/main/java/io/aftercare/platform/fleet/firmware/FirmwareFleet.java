package io.aftercare.platform.fleet.firmware;

import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.fleet.firmware.FirmwareComparisons.ModelReport;
import io.aftercare.platform.playbook.StaffPlaybookRuns;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the firmware comparison is built from, for a period [from, to): the device-days each
 * model and version was in service (from the devices' firmware changes, V110) and the alarms each
 * rule raised on them (attributed to the model and firmware the alarm recorded when raised, V83).
 * Decommissioned devices count on neither side: the platform does not record since when they are
 * out of service. Devices and alarms without a model or firmware are left out.
 */
public final class FirmwareFleet {

  /**
   * Each device's spans on one version: from registration on the version its first change replaced
   * (its current one without changes), then from each change until the next. The overlap of each
   * span with the period is summed per model and version.
   */
  private static final String EXPOSURE =
      "WITH fleet AS (SELECT id, model, firmware, created_at FROM devices"
          + " WHERE service_state <> 'decommissioned' AND model IS NOT NULL"
          + " AND (?::text IS NULL OR model = ?)),"
          // Only the fleet's devices' changes: the window then runs over one model's, not all.
          + " changes AS ("
          + " SELECT c.device_id, c.previous, c.firmware, c.changed_at,"
          + " lead(c.changed_at) OVER (PARTITION BY c.device_id ORDER BY c.changed_at, c.id)"
          + " AS until,"
          + " row_number() OVER (PARTITION BY c.device_id ORDER BY c.changed_at, c.id) AS nth"
          + " FROM device_firmware_changes c JOIN fleet f ON f.id = c.device_id),"
          + " spans AS ("
          + " SELECT d.id, d.model, CASE WHEN c.device_id IS NULL THEN d.firmware ELSE c.previous END"
          + " AS firmware, d.created_at AS since, c.changed_at AS until"
          + " FROM fleet d LEFT JOIN changes c ON c.device_id = d.id AND c.nth = 1"
          + " UNION ALL"
          + " SELECT d.id, d.model, c.firmware, c.changed_at, c.until"
          + " FROM fleet d JOIN changes c ON c.device_id = d.id)"
          + " SELECT model, firmware, count(DISTINCT id) AS devices,"
          + " sum(extract(epoch FROM least(coalesce(until, 'infinity'::timestamptz), ?, now())"
          + " - greatest(since, ?))) / 86400.0 AS device_days"
          // Spans that overlap the period before now (a period in the future has no exposure).
          + " FROM spans WHERE firmware IS NOT NULL"
          + " AND greatest(since, ?) < least(coalesce(until, 'infinity'::timestamptz), ?, now())"
          + " GROUP BY model, firmware";

  private static final String ALARMS =
      "SELECT a.model, a.firmware, a.rule_id, count(*) AS alarms"
          + " FROM alarms a JOIN devices d ON d.id = a.device_id"
          + " WHERE a.raised_at >= ? AND a.raised_at < ? AND a.model IS NOT NULL"
          + " AND a.firmware IS NOT NULL AND d.service_state <> 'decommissioned'"
          + " AND (?::text IS NULL OR a.model = ?) AND (?::text IS NULL OR a.rule_id = ?)"
          + " GROUP BY a.model, a.firmware, a.rule_id";

  private final Jdbc jdbc;
  private final GuardThresholds limits;
  private final String rollbackPlaybook;

  /**
   * @param rollbackPlaybook the playbook the guard's alarms offer to roll back ({@code
   *     diagnostics.firmwareGuard.rollbackPlaybook}); null or blank: none
   */
  public FirmwareFleet(Jdbc jdbc, GuardThresholds limits, String rollbackPlaybook) {
    this.jdbc = jdbc;
    this.limits = limits;
    this.rollbackPlaybook = rollbackPlaybook;
  }

  public GuardThresholds limits() {
    return limits;
  }

  /** The comparison over [from, to), of one model and one rule when given (null: all). */
  public Future<List<ModelReport>> report(Instant from, Instant to, String model, String ruleId) {
    return jdbc.call(c -> report(c, from, to, model, ruleId, limits));
  }

  /** The guard's active fleet-level alarms, of one model and one rule when given, newest first. */
  public Future<List<RegressionAlarm>> activeAlarms(String model, String ruleId) {
    return jdbc.call(c -> RegressionAlarms.active(c, model, ruleId, false));
  }

  /** The rollback the guard's alarms offer, started through {@code runs}. */
  public FirmwareRollbacks rollbacks(StaffPlaybookRuns runs) {
    return new FirmwareRollbacks(jdbc, runs, rollbackPlaybook);
  }

  /** The same, on the caller's connection. */
  static List<ModelReport> report(
      Connection c, Instant from, Instant to, String model, String ruleId, GuardThresholds limits)
      throws SQLException {
    return FirmwareComparisons.build(
        exposures(c, from, to, model), alarms(c, from, to, model, ruleId), limits);
  }

  private static List<VersionExposure> exposures(
      Connection c, Instant from, Instant to, String model) throws SQLException {
    List<VersionExposure> exposures = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement(EXPOSURE)) {
      select.setString(1, model);
      select.setString(2, model);
      select.setTimestamp(3, Timestamp.from(to));
      select.setTimestamp(4, Timestamp.from(from));
      select.setTimestamp(5, Timestamp.from(from));
      select.setTimestamp(6, Timestamp.from(to));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          exposures.add(
              new VersionExposure(
                  rs.getString("model"),
                  rs.getString("firmware"),
                  rs.getLong("devices"),
                  rs.getDouble("device_days")));
        }
      }
    }
    return exposures;
  }

  private static List<RuleAlarmCount> alarms(
      Connection c, Instant from, Instant to, String model, String ruleId) throws SQLException {
    List<RuleAlarmCount> counts = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement(ALARMS)) {
      select.setTimestamp(1, Timestamp.from(from));
      select.setTimestamp(2, Timestamp.from(to));
      select.setString(3, model);
      select.setString(4, model);
      select.setString(5, ruleId);
      select.setString(6, ruleId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          counts.add(
              new RuleAlarmCount(
                  rs.getString("model"),
                  rs.getString("firmware"),
                  rs.getString("rule_id"),
                  rs.getLong("alarms")));
        }
      }
    }
    return counts;
  }
}
