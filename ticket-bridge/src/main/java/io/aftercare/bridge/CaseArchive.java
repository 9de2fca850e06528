package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The archive job (docs/retention.md): files closed and cancelled cases away as {@code archived}
 * once {@code tickets.archiveAfter} has passed since their last change. The case keeps its outcome
 * ({@code archived_from}); its timeline gets an {@code archived} line and the helpdesk a {@code
 * ticket.archived} event, all in one transaction per case. From then on the database refuses any
 * change to it.
 */
final class CaseArchive {

  static final String ACTOR = "system:archive";

  /** Cases archived per transaction round; the rest waits for the next round. */
  private static final int BATCH = 200;

  private final Tx tx;
  private final Clock clock;
  private final Duration archiveAfter;

  CaseArchive(Tx tx, Clock clock, Duration archiveAfter) {
    this.tx = tx;
    this.clock = clock;
    this.archiveAfter = archiveAfter;
  }

  /** Archives every case that is due; returns how many. */
  int runOnce() {
    int archived = 0;
    int round;
    do {
      Instant now = clock.instant();
      round = tx.run(c -> archiveDue(c, now));
      archived += round;
    } while (round == BATCH);
    return archived;
  }

  private int archiveDue(Connection c, Instant now) throws SQLException {
    List<Long> due = new ArrayList<>();
    // SKIP LOCKED: another instance archiving at the same time takes other cases.
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM tickets WHERE status IN ('closed', 'cancelled') AND updated_at <= ?"
                + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
      select.setTimestamp(1, Timestamp.from(now.minus(archiveAfter)));
      select.setInt(2, BATCH);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          due.add(rs.getLong(1));
        }
      }
    }
    for (long id : due) {
      archive(c, id, now);
    }
    return due.size();
  }

  private void archive(Connection c, long ticketId, Instant now) throws SQLException {
    TicketStatus outcome = TicketStore.load(c, ticketId, false).orElseThrow().status();
    // The timeline line first: once the row says archived, nothing more may be appended to it.
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        ACTOR,
        "archived",
        outcome,
        TicketStatus.ARCHIVED,
        "archived: " + outcome.wireName() + " for " + archiveAfter + " or more",
        null);
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE tickets SET status = 'archived', archived_from = status, archived_at = ?"
                + " WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setLong(2, ticketId);
      update.executeUpdate();
    }
    Outbox.append(c, ticketId, Outbox.ARCHIVED, now);
  }
}
