package io.aftercare.platform.alarms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads home alarms ({@link HomeOutages}) with the device alarms each explains. */
final class HomeAlarmViews {

  private HomeAlarmViews() {}

  /**
   * Newest first; {@code status} active or cleared, null for both.
   *
   * @param limit at most this many home alarms
   */
  static List<HomeAlarmView> list(Connection c, String status, int limit) throws SQLException {
    Map<Long, HomeAlarmView> homes = new LinkedHashMap<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, kind, hub_id, status, description, raised_at, cleared_at, devices_total,"
                + " devices_offline, incident_id FROM home_alarms WHERE (?::text IS NULL OR status = ?)"
                + " ORDER BY raised_at DESC, id DESC LIMIT ?")) {
      select.setString(1, status);
      select.setString(2, status);
      select.setInt(3, limit);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Timestamp cleared = rs.getTimestamp("cleared_at");
          long id = rs.getLong("id");
          homes.put(
              id,
              new HomeAlarmView(
                  id,
                  rs.getString("kind"),
                  rs.getString("hub_id"),
                  rs.getString("status"),
                  rs.getString("description"),
                  rs.getTimestamp("raised_at").toInstant(),
                  cleared == null ? null : cleared.toInstant(),
                  rs.getInt("devices_total"),
                  rs.getInt("devices_offline"),
                  rs.getObject("incident_id", Long.class),
                  new ArrayList<>()));
        }
      }
    }
    if (homes.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, home_alarm_id, device_id, rule_id, status FROM alarms"
                + " WHERE home_alarm_id = ANY (?) ORDER BY id")) {
      select.setArray(1, c.createArrayOf("bigint", homes.keySet().toArray()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          homes
              .get(rs.getLong("home_alarm_id"))
              .explains()
              .add(
                  new HomeAlarmView.ExplainedAlarm(
                      rs.getLong("id"),
                      rs.getString("device_id"),
                      rs.getString("rule_id"),
                      rs.getString("status")));
        }
      }
    }
    return List.copyOf(homes.values());
  }
}
