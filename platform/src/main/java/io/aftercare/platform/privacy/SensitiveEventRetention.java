package io.aftercare.platform.privacy;

import io.aftercare.platform.db.Jdbc;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shorter retention of sensitive device events (docs/privacy.md): every hour, deletes the
 * events of door_lock and camera devices older than {@code database.sensitiveEventsRetainFor}, a
 * batch per statement so that no delete holds locks for long. Other events are kept for ever
 * (docs/retention.md). The first round runs at start.
 */
public final class SensitiveEventRetention {

  private static final Logger LOG = LoggerFactory.getLogger(SensitiveEventRetention.class);

  static final Duration INTERVAL = Duration.ofHours(1);

  /** Events deleted per statement, at most. */
  private static final int BATCH = 10_000;

  private final Vertx vertx;
  private final Jdbc jdbc;
  private final Clock clock;
  private final Duration retainFor;
  private boolean running;

  public SensitiveEventRetention(Vertx vertx, Jdbc jdbc, Clock clock, Duration retainFor) {
    this.vertx = vertx;
    this.jdbc = jdbc;
    this.clock = clock;
    this.retainFor = retainFor;
  }

  public void start() {
    purgeOnce();
    vertx.setPeriodic(INTERVAL.toMillis(), id -> purgeOnce());
  }

  private void purgeOnce() {
    if (running) {
      return; // the previous round is still deleting
    }
    running = true;
    Instant before = clock.instant().minus(retainFor);
    jdbc.call(c -> deleteOlderThan(c, before))
        .onComplete(
            result -> {
              running = false;
              if (result.failed()) {
                LOG.warn("Sensitive event retention failed: {}", result.cause().getMessage());
              } else if (result.result() > 0) {
                LOG.info(
                    "Sensitive event retention deleted {} events before {}",
                    result.result(),
                    before);
              }
            });
  }

  /** Deletes the sensitive devices' events older than {@code before}; returns how many. */
  static long deleteOlderThan(Connection c, Instant before) throws SQLException {
    long deleted = 0;
    int round;
    try (PreparedStatement delete =
        c.prepareStatement(
            "DELETE FROM device_events WHERE id IN (SELECT e.id FROM device_events e"
                + " JOIN devices d ON d.id = e.device_id"
                + " WHERE d.type = ANY (?) AND e.ts < ? LIMIT ?)")) {
      do {
        delete.setArray(
            1,
            c.createArrayOf(
                "text", DataClassification.SENSITIVE_DEVICE_TYPES.toArray(new String[0])));
        delete.setTimestamp(2, Timestamp.from(before));
        delete.setInt(3, BATCH);
        round = delete.executeUpdate();
        deleted += round;
      } while (round == BATCH);
    }
    return deleted;
  }
}
