package io.aftercare.platform.fleet;

import io.aftercare.platform.db.Jdbc;
import io.vertx.core.Future;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alarms per UTC day and device model or firmware, against the devices in service that day: the
 * fleet health trend of the KPI page. The alarm side uses the model and firmware the alarm recorded
 * when it was raised; the device side uses the devices' current ones (the platform keeps no history
 * of them), counting a device from the day it was registered.
 */
public final class FleetHealthSeries {

  private final Jdbc jdbc;

  public FleetHealthSeries(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Every day of [from, to), each with its groups ordered by key (no key last). */
  public Future<List<FleetHealthDay>> series(
      LocalDate from, LocalDate to, FleetGrouping groupBy, String type) {
    return jdbc.call(
        connection -> {
          Map<LocalDate, List<FleetHealthGroup>> days = new LinkedHashMap<>();
          for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1)) {
            days.put(day, new ArrayList<>());
          }
          try (PreparedStatement select = connection.prepareStatement(sql(groupBy))) {
            select.setDate(1, Date.valueOf(from));
            select.setDate(2, Date.valueOf(to));
            select.setString(3, type);
            select.setString(4, type);
            select.setDate(5, Date.valueOf(from));
            select.setDate(6, Date.valueOf(to));
            select.setString(7, type);
            select.setString(8, type);
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                days.get(rs.getDate("day").toLocalDate()).add(group(rs));
              }
            }
          }
          List<FleetHealthDay> series = new ArrayList<>();
          days.forEach((day, groups) -> series.add(new FleetHealthDay(day, groups)));
          return series;
        });
  }

  private static FleetHealthGroup group(ResultSet rs) throws SQLException {
    long devices = rs.getLong("devices");
    long alarms = rs.getLong("alarms_raised");
    return new FleetHealthGroup(
        rs.getString("grp"),
        devices,
        alarms,
        devices == 0 ? null : Math.round(alarms * 10_000.0 / devices) / 100.0,
        rs.getLong("devices_with_alarm"));
  }

  /**
   * One statement: the devices registered by the end of each day (generate_series) and the alarms
   * raised on it, each grouped, then merged per day and group. The column name comes from the enum,
   * never from the request.
   */
  private static String sql(FleetGrouping groupBy) {
    String column = groupBy.column();
    return "WITH fleet AS ("
        + " SELECT day::date AS day, dv."
        + column
        + " AS grp, count(*) AS devices"
        + " FROM generate_series(?::date, ?::date - 1, interval '1 day') AS day"
        + " JOIN devices dv ON dv.created_at < ((day::date + 1)::timestamp AT TIME ZONE 'UTC')"
        + " WHERE dv.service_state <> 'decommissioned' AND (?::text IS NULL OR dv.type = ?)"
        + " GROUP BY 1, 2),"
        + " raised AS ("
        + " SELECT (a.raised_at AT TIME ZONE 'UTC')::date AS day, a."
        + column
        + " AS grp, count(*) AS alarms, count(DISTINCT a.device_id) AS devices_with_alarm"
        + " FROM alarms a JOIN devices dv ON dv.id = a.device_id"
        + " WHERE a.raised_at >= (?::date::timestamp AT TIME ZONE 'UTC')"
        + " AND a.raised_at < (?::date::timestamp AT TIME ZONE 'UTC')"
        + " AND (?::text IS NULL OR dv.type = ?)"
        + " GROUP BY 1, 2)"
        + " SELECT day, grp, sum(devices) AS devices, sum(alarms) AS alarms_raised,"
        + " sum(devices_with_alarm) AS devices_with_alarm FROM ("
        + " SELECT day, grp, devices, 0 AS alarms, 0 AS devices_with_alarm FROM fleet"
        + " UNION ALL SELECT day, grp, 0, alarms, devices_with_alarm FROM raised) AS merged"
        + " GROUP BY day, grp ORDER BY day, grp NULLS LAST";
  }
}
