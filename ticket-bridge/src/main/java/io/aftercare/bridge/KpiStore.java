package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SQL for the KPIs: the tickets opened in a range with their status changes, history and feedback,
 * and the complaints about no case.
 */
final class KpiStore {

  private KpiStore() {}

  /**
   * The tickets opened in [from, to), each with its timeline, whether its fault is a repeat
   * (reopened, or following a ticket of the same device and category resolved within {@code
   * reopenWindow} before it was opened) and its feedback: whether a complaint is linked to it, and
   * the latest rating of each source.
   */
  static List<CaseOutcome.Sample> openedBetween(
      Connection c, Instant from, Instant to, Duration reopenWindow) throws SQLException {
    Map<Long, List<TimelineEntry>> timelines = TicketStore.timelinesOpenedBetween(c, from, to);
    // The tickets and their histories in one pass over the tickets, not one each.
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + TicketStore.COLUMNS
                + ", "
                + HISTORY
                + " FROM tickets t WHERE t.opened_at >= ? AND t.opened_at < ? ORDER BY t.id")) {
      select.setDouble(1, reopenWindow.toSeconds());
      select.setTimestamp(2, Timestamp.from(from));
      select.setTimestamp(3, Timestamp.from(to));
      List<CaseOutcome.Sample> samples = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Ticket ticket = TicketStore.ticket(rs);
          samples.add(
              new CaseOutcome.Sample(
                  // An archived case counts as the closed or cancelled case it was.
                  ticket.outcome(),
                  timelines.getOrDefault(ticket.id(), List.of()),
                  rs.getInt("reopen_count"),
                  rs.getBoolean("follows"),
                  new CaseOutcome.Feedback(
                      rs.getBoolean("complained"),
                      rs.getObject("customer_score", Integer.class),
                      rs.getObject("staff_score", Integer.class))));
        }
      }
      return samples;
    }
  }

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

  /**
   * A ticket's history (the reopen window in seconds its one parameter): whether its fault is a
   * repeat (reopened, or following a ticket of the same device and category resolved within the
   * window before it was opened) and its feedback.
   */
  private static final String HISTORY =
      "t.reopen_count, EXISTS (SELECT 1 FROM tickets e"
          + " WHERE e.device_id = t.device_id AND e.id <> t.id"
          // The same fault: the same diagnosis category, or (a reported case has none) an
          // alarm of the same rule linked to both, as fault episodes match them.
          + " AND (e.category = t.category OR EXISTS (SELECT 1 FROM ticket_alarms ea"
          + " JOIN ticket_alarms ta ON ta.rule_id = ea.rule_id"
          + " WHERE ea.ticket_id = e.id AND ta.ticket_id = t.id))"
          + " AND e.resolved_at <= t.opened_at"
          + " AND e.resolved_at >= t.opened_at - make_interval(secs => ?)) AS follows,"
          + " EXISTS (SELECT 1 FROM complaints k WHERE k.ticket_id = t.id) AS complained,"
          + " (SELECT s.score FROM ticket_satisfaction s WHERE s.ticket_id = t.id"
          + " AND s.source = 'customer' ORDER BY s.id DESC LIMIT 1) AS customer_score,"
          + " (SELECT s.score FROM ticket_satisfaction s WHERE s.ticket_id = t.id"
          + " AND s.source = 'staff' ORDER BY s.id DESC LIMIT 1) AS staff_score";
}
