package io.aftercare.platform.privacy;

import io.aftercare.platform.db.HourlyPurge;
import io.aftercare.platform.db.Jdbc;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The shorter retention of sensitive device events (docs/privacy.md): every hour, deletes the
 * events of door_lock and camera devices older than {@code database.sensitiveEventsRetainFor}, a
 * batch per statement so that no delete holds locks for long. Other events are kept for ever
 * (docs/retention.md). The first round runs at start.
 */
public final class SensitiveEventRetention {

  /** Rows deleted per statement, at most. */
  private static final int BATCH = 10_000;

  private SensitiveEventRetention() {}

  /** The hourly purge of sensitive devices' events. */
  public static HourlyPurge hourly(Vertx vertx, Jdbc jdbc, Clock clock, Duration retainFor) {
    return new HourlyPurge(
        "Sensitive event retention",
        vertx,
        jdbc,
        clock,
        retainFor,
        SensitiveEventRetention::deleteOlderThan);
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
