package io.aftercare.platform.alarms;

import io.aftercare.bridge.KpiDimension;
import io.aftercare.bridge.RemoteFixes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The alarms remote-fix-first fixed without a ticket, for the service desk's remote-resolution KPI:
 * cleared as {@code fixed_remotely}, no ticket ever requested, and not linked to a customer's
 * reported case either (that case counts itself). Model and firmware are the device's current ones:
 * no ticket recorded them at the time.
 */
public final class RemoteFixesWithoutTicket implements RemoteFixes {

  /** The fixes counted: the same conditions as {@link #detectedBetween}'s. */
  private static final String WITHOUT_TICKET =
      " WHERE a.resolution = 'fixed_remotely' AND a.ticket_requested_at IS NULL"
          + " AND a.raised_at >= ? AND a.raised_at < ?"
          + " AND NOT EXISTS (SELECT 1 FROM ticket_alarms l WHERE l.alarm_id = a.id)";

  @Override
  public List<Fix> detectedBetween(Connection c, Instant from, Instant to) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT a.raised_at, d.type, d.model, d.firmware, a.rule_id, a.category"
                + " FROM alarms a JOIN devices d ON d.id = a.device_id"
                + WITHOUT_TICKET
                + " ORDER BY a.id")) {
      select.setTimestamp(1, Timestamp.from(from));
      select.setTimestamp(2, Timestamp.from(to));
      List<Fix> fixes = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          fixes.add(
              new Fix(
                  rs.getTimestamp("raised_at").toInstant(),
                  rs.getString("type"),
                  rs.getString("model"),
                  rs.getString("firmware"),
                  rs.getString("rule_id"),
                  rs.getString("category")));
        }
      }
      return fixes;
    }
  }

  /**
   * {@code width_bucket} numbers the periods from 1 (0 and bounds.size() lie outside the range,
   * which the WHERE clause excludes). Every alarm has its device (a foreign key), so joining the
   * devices only for a breakdown by them counts the same fixes as {@link #detectedBetween}.
   */
  @Override
  public List<Count> countedPer(Connection c, List<Instant> bounds, KpiDimension groupBy)
      throws SQLException {
    String key = column(groupBy);
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT width_bucket(a.raised_at, ?) - 1 AS period, "
                + key
                + " AS key, count(*) AS fixes FROM alarms a"
                + (key.startsWith("d.") ? " JOIN devices d ON d.id = a.device_id" : "")
                + WITHOUT_TICKET
                + " GROUP BY 1, 2")) {
      Timestamp[] thresholds = bounds.stream().map(Timestamp::from).toArray(Timestamp[]::new);
      select.setArray(1, c.createArrayOf("timestamptz", thresholds));
      select.setTimestamp(2, thresholds[0]);
      select.setTimestamp(3, thresholds[thresholds.length - 1]);
      List<Count> counts = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          counts.add(new Count(rs.getInt("period"), rs.getString("key"), rs.getInt("fixes")));
        }
      }
      return counts;
    }
  }

  /** The column holding a fix's key of {@link KpiDimension#of(RemoteFixes.Fix)}. */
  private static String column(KpiDimension groupBy) {
    if (groupBy == null) {
      return "NULL";
    }
    return switch (groupBy) {
      case DEVICE_TYPE -> "d.type";
      case MODEL -> "d.model";
      case FIRMWARE -> "d.firmware";
      case RULE -> "a.rule_id";
      case CATEGORY -> "a.category";
      case OWNER, ASSIGNEE -> "NULL";
    };
  }
}
