package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The service desk's counts for the platform's {@code /metrics}: tickets opened (by source and
 * priority), not yet closed (by status), SLA breaches (by clock), and the outbox's undelivered
 * events (by status). Tickets are never deleted (archived cases stay), so the totals only grow.
 * Blocking.
 */
public final class ServiceDeskCounts {

  public static final String TICKETS_OPENED = "tickets.opened";
  public static final String TICKETS_OPEN = "tickets.open";
  public static final String SLA_BREACHES = "tickets.sla.breaches";
  public static final String OUTBOX_EVENTS = "outbox.events";

  private ServiceDeskCounts() {}

  public static List<LabelledCount> read(Connection c) throws SQLException {
    List<LabelledCount> counts = new ArrayList<>();
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT source, priority, status, count(*) AS n,"
                    + " count(response_breached_at) AS response_breached,"
                    + " count(repair_breached_at) AS repair_breached"
                    + " FROM tickets GROUP BY source, priority, status");
        ResultSet rs = select.executeQuery()) {
      Map<TicketStatus, Long> open = new EnumMap<>(TicketStatus.class);
      long responseBreaches = 0;
      long repairBreaches = 0;
      while (rs.next()) {
        long n = rs.getLong("n");
        counts.add(
            new LabelledCount(
                TICKETS_OPENED,
                Map.of("source", rs.getString("source"), "priority", rs.getString("priority")),
                n));
        open.merge(TicketStatus.fromWireName(rs.getString("status")), n, Long::sum);
        responseBreaches += rs.getLong("response_breached");
        repairBreaches += rs.getLong("repair_breached");
      }
      // Every live status, zero included, so that a status emptying out reads 0 and not stale.
      for (TicketStatus status : TicketStatus.values()) {
        if (!status.isFinal()) {
          counts.add(
              new LabelledCount(
                  TICKETS_OPEN,
                  Map.of("status", status.wireName()),
                  open.getOrDefault(status, 0L)));
        }
      }
      counts.add(new LabelledCount(SLA_BREACHES, Map.of("clock", "response"), responseBreaches));
      counts.add(new LabelledCount(SLA_BREACHES, Map.of("clock", "repair"), repairBreaches));
    }
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT count(*) FILTER (WHERE status = 'pending') AS pending,"
                    + " count(*) FILTER (WHERE status = 'dead') AS dead"
                    + " FROM ticket_outbox WHERE status IN ('pending', 'dead')");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      counts.add(new LabelledCount(OUTBOX_EVENTS, Map.of("status", "pending"), rs.getLong(1)));
      counts.add(new LabelledCount(OUTBOX_EVENTS, Map.of("status", "dead"), rs.getLong(2)));
    }
    return counts;
  }
}
