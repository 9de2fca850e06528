package io.aftercare.bridge;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes outbox events delivered longer ago than {@code tickets.retention.deliveredEvents}
 * (docs/retention.md). A delivered event is a copy of a change the ticket and its timeline keep;
 * pending and dead events are never deleted, they are still owed to the helpdesk. Zero keeps every
 * event.
 */
final class OutboxRetention {

  /** Rows deleted per statement, so that a first purge of a large outbox holds no long lock. */
  private static final int BATCH = 5_000;

  private final Tx tx;
  private final Clock clock;
  private final Duration keepDelivered;

  OutboxRetention(Tx tx, Clock clock, Duration keepDelivered) {
    this.tx = tx;
    this.clock = clock;
    this.keepDelivered = keepDelivered;
  }

  /** Deletes what is past its period; returns how many events. */
  int runOnce() {
    if (keepDelivered.isZero()) {
      return 0;
    }
    Instant before = clock.instant().minus(keepDelivered);
    int deleted = 0;
    int round;
    do {
      round =
          tx.run(
              c -> {
                try (PreparedStatement delete =
                    c.prepareStatement(
                        "DELETE FROM ticket_outbox WHERE id IN (SELECT id FROM ticket_outbox"
                            + " WHERE status = 'delivered' AND delivered_at < ? LIMIT ?)")) {
                  delete.setTimestamp(1, Timestamp.from(before));
                  delete.setInt(2, BATCH);
                  return delete.executeUpdate();
                }
              });
      deleted += round;
    } while (round == BATCH);
    return deleted;
  }
}
