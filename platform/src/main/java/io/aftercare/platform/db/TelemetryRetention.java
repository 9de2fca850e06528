package io.aftercare.platform.db;

import io.aftercare.platform.telemetry.TelemetryRollup;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Telemetry retention on plain PostgreSQL, where TimescaleDB's retention policy does not exist
 * (docs/retention.md): every hour, deletes the documents older than {@code database.retainFor}, a
 * batch per statement so that no delete holds locks for long. The first round runs an hour after
 * start. The hourly rollup of the deleted hours goes with them.
 */
public final class TelemetryRetention {

  /** Rows deleted per statement, at most. */
  private static final int BATCH = 10_000;

  private TelemetryRetention() {}

  /** The hourly purge of telemetry documents. */
  public static HourlyPurge hourly(Vertx vertx, Jdbc jdbc, Clock clock, Duration retainFor) {
    return new HourlyPurge(
        "Telemetry retention", vertx, jdbc, clock, retainFor, TelemetryRetention::deleteOlderThan);
  }

  /** Deletes the documents older than {@code before}; returns how many. */
  static long deleteOlderThan(Connection c, Instant before) throws SQLException {
    long deleted = 0;
    int round;
    try (PreparedStatement delete =
        c.prepareStatement(
            // By primary key, not ctid: a ctid is unique only within one table, and on a
            // TimescaleDB hypertable every chunk is a table of its own.
            "DELETE FROM telemetry_documents d USING (SELECT device_id, ts FROM"
                + " telemetry_documents WHERE ts < ? LIMIT ?) old"
                + " WHERE d.device_id = old.device_id AND d.ts = old.ts")) {
      do {
        delete.setTimestamp(1, Timestamp.from(before));
        delete.setInt(2, BATCH);
        round = delete.executeUpdate();
        deleted += round;
      } while (round == BATCH);
    }
    dropRollupBefore(c, before);
    return deleted;
  }

  /**
   * Deletes the hourly rollup (V85) of the hours wholly before {@code before} and recomputes the
   * hour it falls in from the documents left, so that the rollup never counts a deleted document.
   */
  private static void dropRollupBefore(Connection c, Instant before) throws SQLException {
    Instant hour = TelemetryRollup.hourOf(before);
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement delete =
        c.prepareStatement("DELETE FROM telemetry_hourly WHERE hour < ?")) {
      delete.setTimestamp(1, Timestamp.from(hour));
      delete.executeUpdate();
      TelemetryRollup.recomputeRange(c, hour, hour.plus(Duration.ofHours(1)));
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }
}
