package io.aftercare.platform.alarms;

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

  @Override
  public List<Fix> detectedBetween(Connection c, Instant from, Instant to) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT a.raised_at, d.type, d.model, d.firmware, a.rule_id, a.category"
                + " FROM alarms a JOIN devices d ON d.id = a.device_id"
                + " WHERE a.resolution = 'fixed_remotely' AND a.ticket_requested_at IS NULL"
                + " AND a.raised_at >= ? AND a.raised_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM ticket_alarms l WHERE l.alarm_id = a.id)"
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
}
