package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps each ticket's stored next deadline ({@code tickets.next_deadline}, {@code next_clock}): the
 * earliest due time of its running SLA clocks, which the queue by SLA urgency is ordered by (V80).
 * A running clock's due time only moves when the timeline changes, and the database marks a ticket
 * stale whenever it does; {@link Tx} calls {@link #refreshStale} before every commit, so the stored
 * value is never behind a committed change.
 */
final class SlaDeadlines {

  /** The clock that falls due first, and when; both {@code null} when none runs. */
  record Next(String clock, Instant deadline) {

    static final Next NONE = new Next(null, null);

    static Next of(SlaClocks.Clocks clocks) {
      Next next = NONE;
      next = earlier(next, "response", clocks.response());
      next = earlier(next, "arrangement", clocks.arrangement());
      return earlier(next, "repair", clocks.repair());
    }

    private static Next earlier(Next so, String name, SlaClock clock) {
      if (clock.state() != SlaClock.State.RUNNING || clock.dueAt() == null) {
        return so;
      }
      return so.deadline == null || clock.dueAt().isBefore(so.deadline)
          ? new Next(name, clock.dueAt())
          : so;
    }
  }

  private final SlaClocks clocks;
  private final Clock clock;

  SlaDeadlines(SlaClocks clocks, Clock clock) {
    this.clocks = clocks;
    this.clock = clock;
  }

  /**
   * Recomputes the tickets marked stale that this transaction may update (rows other transactions
   * hold locked are theirs to recompute before they commit).
   */
  void refreshStale(Connection c) throws SQLException {
    List<Long> stale = new ArrayList<>();
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT id FROM tickets WHERE sla_stale ORDER BY id FOR UPDATE SKIP LOCKED");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        stale.add(rs.getLong(1));
      }
    }
    Instant now = clock.instant();
    for (long id : stale) {
      Ticket ticket = TicketStore.load(c, id, false).orElseThrow();
      store(c, id, Next.of(clocks.compute(ticket, TicketStore.timeline(c, id), now)));
    }
  }

  /**
   * Recomputes every case that is not ended, at start: the targets or the calendar may have
   * changed. A ticket is written only when its value changed (or it is stale), so a restart leaves
   * no new row versions behind for the tickets whose deadline stands.
   */
  void refreshAll(Connection c) throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT id, next_deadline, next_clock, sla_stale FROM tickets"
                    + " WHERE status NOT IN ('closed', 'cancelled', 'archived')"
                    + " ORDER BY id FOR UPDATE SKIP LOCKED");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong("id");
        Timestamp deadline = rs.getTimestamp("next_deadline");
        Next stored =
            new Next(rs.getString("next_clock"), deadline == null ? null : deadline.toInstant());
        Ticket ticket = TicketStore.load(c, id, false).orElseThrow();
        Next next = Next.of(clocks.compute(ticket, TicketStore.timeline(c, id), now));
        if (rs.getBoolean("sla_stale") || !next.equals(stored)) {
          store(c, id, next);
        }
      }
    }
  }

  private static void store(Connection c, long id, Next next) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE tickets SET next_deadline = ?, next_clock = ?, sla_stale = false"
                + " WHERE id = ?")) {
      update.setTimestamp(1, next.deadline() == null ? null : Timestamp.from(next.deadline()));
      update.setString(2, next.clock());
      update.setLong(3, id);
      update.executeUpdate();
    }
  }
}
