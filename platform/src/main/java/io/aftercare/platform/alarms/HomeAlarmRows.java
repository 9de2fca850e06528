package io.aftercare.platform.alarms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The rows of {@code home_alarms} and the links of device alarms to them, in the caller's
 * transaction, which holds the home's lock ({@link HomeOutages#lockHome}).
 */
final class HomeAlarmRows {

  private HomeAlarmRows() {}

  /** What a new home alarm records of the devices it was raised for. */
  record Raise(
      String home, HomeAlarmKind kind, String hubId, String description, int total, int affected) {}

  /** The home's open alarm of this kind (and hub, for a hub failure). */
  static Optional<Long> open(Connection c, String home, HomeAlarmKind kind, String hubId)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM home_alarms WHERE home_index = ? AND kind = ?"
                + " AND hub_id IS NOT DISTINCT FROM ? AND status <> 'cleared'")) {
      select.setString(1, home);
      select.setString(2, kind.wireName());
      select.setString(3, hubId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  static long insert(Connection c, Raise raise, Instant now) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO home_alarms (home_index, kind, hub_id, status, description, raised_at,"
                + " devices_total, devices_offline) VALUES (?, ?, ?, 'active', ?, ?, ?, ?)"
                + " RETURNING id")) {
      insert.setString(1, raise.home());
      insert.setString(2, raise.kind().wireName());
      insert.setString(3, raise.hubId());
      insert.setString(4, raise.description());
      insert.setTimestamp(5, Timestamp.from(now));
      insert.setInt(6, raise.total());
      insert.setInt(7, raise.affected());
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Links a device alarm to the home alarm that explains it; it is no longer held, if it was. */
  static void link(Connection c, long alarmId, long homeAlarmId) throws SQLException {
    try (PreparedStatement link =
        c.prepareStatement(
            "UPDATE alarms SET home_alarm_id = ?, home_hold_until = NULL WHERE id = ?")) {
      link.setLong(1, homeAlarmId);
      link.setLong(2, alarmId);
      link.executeUpdate();
    }
  }
}
