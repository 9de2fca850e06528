package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox events to the helpdesk. Several workers (threads or instances) may run: each
 * claims one event with {@code FOR UPDATE SKIP LOCKED} and keeps the row locked until the attempt's
 * outcome is committed, so no event is sent by two workers at once and a delivered event is never
 * sent again. An event is claimable only when every earlier event of its subject (ticket, incident
 * or complaint) is delivered: per-subject order holds, and a dead event holds back its subject's
 * later ones until re-driven.
 */
final class DeliveryWorker {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

  private final Tx tx;
  private final Clock clock;
  private final HelpdeskConnector connector;
  private final RetryPolicy retries;
  private final DeliveryTally tally;

  DeliveryWorker(
      Tx tx, Clock clock, HelpdeskConnector connector, RetryPolicy retries, DeliveryTally tally) {
    this.tx = tx;
    this.clock = clock;
    this.connector = connector;
    this.retries = retries;
    this.tally = tally;
  }

  /** Delivers due events until none is claimable; returns how many attempts were made. */
  int drain() {
    int attempts = 0;
    Optional<DeliveryTally.Outcome> attempt;
    // Counted once the attempt's transaction committed: a rolled-back attempt is made again.
    while ((attempt = tx.run(this::attemptNext)).isPresent()) {
      tally.record(attempt.get());
      attempts++;
    }
    return attempts;
  }

  /** One attempt at the next due event, if there is one: what became of it. */
  private Optional<DeliveryTally.Outcome> attemptNext(Connection c) throws SQLException {
    if (endpointDisabled(c)) {
      return Optional.empty();
    }
    Optional<OutboxEvent> claimed = claim(c, clock.instant());
    if (claimed.isEmpty()) {
      return Optional.empty();
    }
    OutboxEvent event = claimed.get();
    DeliveryOutcome outcome = connector.deliver(event);
    Instant now = clock.instant();
    int attempts = event.attempts() + 1;
    if (outcome instanceof DeliveryOutcome.Delivered delivered) {
      update(c, event.id(), "delivered", attempts, now, null, "delivered_at");
      if (delivered.externalRef() != null && event.ticketId() != null) {
        // An archived case never changes (docs/retention.md): its key is not recorded; the
        // trigger would otherwise undo the delivery, and the event would be sent again and again.
        try (PreparedStatement ref =
            c.prepareStatement(
                "UPDATE tickets SET external_ref = ? WHERE id = ? AND status <> 'archived'")) {
          ref.setString(1, delivered.externalRef());
          ref.setLong(2, event.ticketId());
          ref.executeUpdate();
        }
      }
      return Optional.of(DeliveryTally.Outcome.DELIVERED);
    } else if (outcome instanceof DeliveryOutcome.Retry retry) {
      Instant next = now.plus(retries.delay(attempts, retry.retryAfter()));
      if (retries.withinHorizon(event.retrySince(), next)) {
        update(c, event.id(), "pending", attempts, next, retry.reason(), null);
        return Optional.of(DeliveryTally.Outcome.RETRY);
      } else {
        LOG.warn(
            "Event {} is dead after {} attempts: {}", event.eventId(), attempts, retry.reason());
        update(
            c,
            event.id(),
            "dead",
            attempts,
            now,
            retry.reason() + "; retry horizon passed",
            "dead_at");
        return Optional.of(DeliveryTally.Outcome.DEAD);
      }
    } else if (outcome instanceof DeliveryOutcome.Gone gone) {
      LOG.warn("Helpdesk endpoint {} is gone; disabled until a re-drive", connector.name());
      update(c, event.id(), "dead", attempts, now, gone.reason(), "dead_at");
      disableEndpoint(c, gone.reason(), now);
      return Optional.of(DeliveryTally.Outcome.DEAD);
    } else if (outcome instanceof DeliveryOutcome.Refused refused) {
      LOG.warn("Event {} refused: {}", event.eventId(), refused.reason());
      update(c, event.id(), "dead", attempts, now, refused.reason(), "dead_at");
      return Optional.of(DeliveryTally.Outcome.DEAD);
    }
    throw new IllegalStateException("unknown delivery outcome " + outcome);
  }

  private static Optional<OutboxEvent> claim(Connection c, Instant now) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT o.id, o.event_id, o.ticket_id, o.type, o.payload #>> '{}' AS payload, o.attempts,"
                + " o.retry_since, t.external_ref FROM ticket_outbox o"
                + " LEFT JOIN tickets t ON t.id = o.ticket_id"
                + " WHERE o.status = 'pending' AND o.next_attempt_at <= ?"
                + " AND NOT EXISTS (SELECT 1 FROM ticket_outbox e WHERE e.id < o.id"
                + " AND e.status <> 'delivered' AND (e.ticket_id = o.ticket_id"
                + " OR e.incident_id = o.incident_id OR e.complaint_id = o.complaint_id))"
                + " ORDER BY o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED")) {
      select.setTimestamp(1, Timestamp.from(now));
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new OutboxEvent(
                rs.getLong("id"),
                rs.getString("event_id"),
                rs.getObject("ticket_id", Long.class),
                rs.getString("type"),
                // Sealed at rest (Outbox.insert); an event stored before V98 is the JSON itself.
                DeskKey.current().open(rs.getString("payload")),
                rs.getInt("attempts"),
                rs.getTimestamp("retry_since").toInstant(),
                rs.getString("external_ref")));
      }
    }
  }

  /**
   * @param when next attempt time when pending, otherwise the time the status was reached
   * @param stampColumn delivered_at or dead_at (fixed names), or {@code null}
   */
  private static void update(
      Connection c,
      long id,
      String status,
      int attempts,
      Instant when,
      String error,
      String stampColumn)
      throws SQLException {
    String stamp = stampColumn == null ? "" : ", " + stampColumn + " = ?";
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE ticket_outbox SET status = ?, attempts = ?, next_attempt_at = ?,"
                + " last_error = ?"
                + stamp
                + " WHERE id = ?")) {
      update.setString(1, status);
      update.setInt(2, attempts);
      update.setTimestamp(3, Timestamp.from(when));
      update.setString(4, error);
      int next = 5;
      if (stampColumn != null) {
        update.setTimestamp(next++, Timestamp.from(when));
      }
      update.setLong(next, id);
      update.executeUpdate();
    }
  }

  private boolean endpointDisabled(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT 1 FROM helpdesk_endpoints WHERE connector = ? AND disabled_at IS NOT NULL")) {
      select.setString(1, connector.name());
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void disableEndpoint(Connection c, String reason, Instant now) throws SQLException {
    try (PreparedStatement upsert =
        c.prepareStatement(
            "INSERT INTO helpdesk_endpoints (connector, disabled_at, reason) VALUES (?, ?, ?)"
                + " ON CONFLICT (connector) DO UPDATE SET disabled_at = EXCLUDED.disabled_at,"
                + " reason = EXCLUDED.reason")) {
      upsert.setString(1, connector.name());
      upsert.setTimestamp(2, Timestamp.from(now));
      upsert.setString(3, reason);
      upsert.executeUpdate();
    }
  }
}
