package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SQL for the KPIs: the tickets opened in a range with their status changes and history. */
final class KpiStore {

  private KpiStore() {}

  /**
   * The tickets opened in [from, to), each with its timeline and whether its fault is a repeat:
   * reopened, or following a ticket of the same device and category resolved within {@code
   * reopenWindow} before it was opened.
   */
  static List<CaseOutcome.Sample> openedBetween(
      Connection c, Instant from, Instant to, Duration reopenWindow) throws SQLException {
    Map<Long, List<TimelineEntry>> timelines = TicketStore.timelinesOpenedBetween(c, from, to);
    Map<Long, History> histories = histories(c, from, to, reopenWindow);
    List<CaseOutcome.Sample> samples = new ArrayList<>();
    for (Ticket ticket : TicketStore.openedBetween(c, from, to)) {
      History history = histories.get(ticket.id());
      samples.add(
          new CaseOutcome.Sample(
              // An archived case counts as the closed or cancelled case it was.
              ticket.outcome(),
              timelines.getOrDefault(ticket.id(), List.of()),
              history.reopenCount(),
              history.followsEarlierFix()));
    }
    return samples;
  }

  private record History(int reopenCount, boolean followsEarlierFix) {}

  private static Map<Long, History> histories(
      Connection c, Instant from, Instant to, Duration reopenWindow) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT t.id, t.reopen_count, EXISTS (SELECT 1 FROM tickets e"
                + " WHERE e.device_id = t.device_id AND e.category = t.category AND e.id <> t.id"
                + " AND e.resolved_at <= t.opened_at"
                + " AND e.resolved_at >= t.opened_at - make_interval(secs => ?)) AS follows"
                + " FROM tickets t WHERE t.opened_at >= ? AND t.opened_at < ?")) {
      select.setDouble(1, reopenWindow.toSeconds());
      select.setTimestamp(2, Timestamp.from(from));
      select.setTimestamp(3, Timestamp.from(to));
      Map<Long, History> histories = new HashMap<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          histories.put(
              rs.getLong("id"), new History(rs.getInt("reopen_count"), rs.getBoolean("follows")));
        }
      }
      return histories;
    }
  }
}
