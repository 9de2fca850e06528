package io.aftercare.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The scheduled SLA check. For each running clock it records, once each, the warning (past the
 * warning share of the target) and the breach (past the target); a breach escalates the ticket to
 * the next support line (first, second, third). Each is a timeline entry and a {@code
 * ticket.updated} event. The first-contact owner is not changed by escalation.
 *
 * <p>Each ticket is checked under its row lock and the once-only marks are columns of the ticket,
 * so several instances running the check never record a step twice.
 */
final class EscalationCheck {

  private static final int TOP_TIER = 3;

  private final Tx tx;
  private final Clock clock;
  private final SlaClocks clocks;

  EscalationCheck(Tx tx, Clock clock, SlaClocks clocks) {
    this.tx = tx;
    this.clocks = clocks;
    this.clock = clock;
  }

  /** Checks every ticket whose clocks may run; returns how many steps were recorded. */
  int runOnce() {
    List<Long> ids = tx.run(TicketStore::activeIds);
    int steps = 0;
    for (long id : ids) {
      steps += tx.run(c -> check(c, id, clock.instant()));
    }
    return steps;
  }

  private int check(Connection c, long ticketId, Instant now) throws SQLException {
    Ticket ticket = TicketStore.load(c, ticketId, true).orElseThrow();
    Marks marks = Marks.read(c, ticketId);
    SlaClocks.Clocks current = clocks.compute(ticket, TicketStore.timeline(c, ticketId), now);
    int steps = 0;
    steps +=
        step(
            c,
            ticket,
            "response",
            current.response(),
            marks.responseWarned,
            marks.responseBreached,
            now);
    steps +=
        step(
            c,
            ticket,
            "arrangement",
            current.arrangement(),
            marks.arrangementWarned,
            marks.arrangementBreached,
            now);
    steps +=
        step(c, ticket, "repair", current.repair(), marks.repairWarned, marks.repairBreached, now);
    return steps;
  }

  private int step(
      Connection c,
      Ticket ticket,
      String clockName,
      SlaClock clock,
      boolean warned,
      boolean breached,
      Instant now)
      throws SQLException {
    if (clock.state() != SlaClock.State.RUNNING || clock.standing() == SlaClock.Standing.ON_TIME) {
      return 0;
    }
    int steps = 0;
    ObjectNode detail = BridgeJson.MAPPER.createObjectNode();
    detail.put("clock", clockName);
    detail.put("elapsed", clock.elapsed().toString());
    detail.put("target", clock.target().toString());
    if (!warned) {
      mark(c, ticket.id(), clockName + "_warned_at", now);
      TicketStore.appendTimeline(
          c,
          ticket.id(),
          now,
          RequestProcessor.ACTOR,
          "sla_warning",
          null,
          null,
          clockName + " clock past the warning threshold",
          detail);
      steps++;
    }
    if (clock.standing() == SlaClock.Standing.BREACHED && !breached) {
      mark(c, ticket.id(), clockName + "_breached_at", now);
      TicketStore.appendTimeline(
          c,
          ticket.id(),
          now,
          RequestProcessor.ACTOR,
          "sla_breach",
          null,
          null,
          clockName + " target missed",
          detail);
      steps++;
      int tier = Math.min(TOP_TIER, ticket.tier() + 1);
      try (PreparedStatement update =
          c.prepareStatement("UPDATE tickets SET tier = ?, updated_at = ? WHERE id = ?")) {
        update.setInt(1, tier);
        update.setTimestamp(2, Timestamp.from(now));
        update.setLong(3, ticket.id());
        update.executeUpdate();
      }
      ObjectNode escalation = BridgeJson.MAPPER.createObjectNode();
      escalation.put("tier", tier);
      escalation.put("owner", ticket.owner());
      TicketStore.appendTimeline(
          c,
          ticket.id(),
          now,
          RequestProcessor.ACTOR,
          "escalation",
          null,
          null,
          "escalated to support line " + tier,
          escalation);
    }
    if (steps > 0) {
      Outbox.append(c, ticket.id(), Outbox.UPDATED, now);
    }
    return steps;
  }

  /** {@code column} is one of the six fixed mark columns, never input. */
  private static void mark(Connection c, long ticketId, String column, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE tickets SET " + column + " = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setLong(2, ticketId);
      update.executeUpdate();
    }
  }

  /** Which once-only steps a ticket has had. */
  private record Marks(
      boolean responseWarned,
      boolean responseBreached,
      boolean arrangementWarned,
      boolean arrangementBreached,
      boolean repairWarned,
      boolean repairBreached) {
    static Marks read(Connection c, long ticketId) throws SQLException {
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT response_warned_at IS NOT NULL AS response_warned,"
                  + " response_breached_at IS NOT NULL AS response_breached,"
                  + " arrangement_warned_at IS NOT NULL AS arrangement_warned,"
                  + " arrangement_breached_at IS NOT NULL AS arrangement_breached,"
                  + " repair_warned_at IS NOT NULL AS repair_warned,"
                  + " repair_breached_at IS NOT NULL AS repair_breached"
                  + " FROM tickets WHERE id = ?")) {
        select.setLong(1, ticketId);
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          return new Marks(
              rs.getBoolean("response_warned"),
              rs.getBoolean("response_breached"),
              rs.getBoolean("arrangement_warned"),
              rs.getBoolean("arrangement_breached"),
              rs.getBoolean("repair_warned"),
              rs.getBoolean("repair_breached"));
        }
      }
    }
  }
}
