package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for the KPIs beside the cases (which {@link KeptOutcomes} reads): the complaints about no
 * case.
 */
final class KpiStore {

  private KpiStore() {}

  /** When each complaint about no case (standalone) received in [from, to) was received. */
  static List<Instant> complaintsWithoutCase(Connection c, Instant from, Instant to)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT received_at FROM complaints WHERE ticket_id IS NULL"
                + " AND received_at >= ? AND received_at < ? ORDER BY received_at")) {
      select.setTimestamp(1, Timestamp.from(from));
      select.setTimestamp(2, Timestamp.from(to));
      List<Instant> received = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          received.add(rs.getTimestamp(1).toInstant());
        }
      }
      return received;
    }
  }
}
