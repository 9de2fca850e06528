package io.aftercare.platform.privacy;

import io.aftercare.platform.db.HourlyPurge;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.telemetry.TelemetryRollup;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The shorter retention of presence metrics (docs/privacy.md): every hour, strips the metrics whose
 * name says whether someone is home ({@link DataClassification#PRESENCE_METRICS}) from the
 * telemetry documents older than {@code database.presenceRetainFor}; the documents' other metrics
 * stay as long as telemetry does ({@code database.retainFor}). A stripped document gets a new
 * transaction id, as a merge gives one (V85), so the hourly rollup recomputes its hour from what is
 * left. Only whole hours are stripped, so that an hour's rollup never mixes stripped and kept
 * documents. The first round runs at start.
 *
 * <p>Where it stands is kept in {@code presence_retention_state} (V104): the hours before {@code
 * stripped_until} are done, an hour per statement as they come of age, read through the BRIN index
 * on time; a document arriving later with a time already passed is found by its transaction id
 * (from {@code xact_watermark} on) through the BRIN index on it, as the rollup finds new documents.
 * Ingest pays nothing for it.
 */
public final class PresenceRetention {

  /** Whether a document holds a presence metric. */
  private static final String HOLDS_PRESENCE =
      "jsonb_path_exists(metrics, '$.keyvalue() ? (@.key starts with \"presence\""
          + " || @.key starts with \"occupancy\" || @.key starts with \"motion\")')";

  /** A presence metric's name, as a regular expression for SQL. */
  private static final String PRESENCE_NAME =
      "^(" + String.join("|", DataClassification.PRESENCE_PREFIXES) + ")";

  private static final String STRIP =
      "UPDATE telemetry_documents SET metrics = (SELECT COALESCE(jsonb_object_agg(e.key,"
          + " e.value), '{}'::jsonb) FROM jsonb_each(metrics) e WHERE e.key !~ ?),"
          + " xact_id = pg_current_xact_id()::text::bigint WHERE "
          + HOLDS_PRESENCE;

  private static final Duration HOUR = Duration.ofHours(1);

  private PresenceRetention() {}

  /** The hourly stripping of presence metrics. */
  public static HourlyPurge hourly(Vertx vertx, Jdbc jdbc, Clock clock, Duration retainFor) {
    return new HourlyPurge(
        "Presence retention", vertx, jdbc, clock, retainFor, PresenceRetention::stripOlderThan);
  }

  /**
   * Strips the presence metrics of the documents of the whole hours before {@code before}: those
   * written late since the last round, then the hours come of age since; returns how many documents
   * were rewritten. On an autocommit connection, so that each hour commits on its own.
   */
  static long stripOlderThan(Connection c, Instant before) throws SQLException {
    Instant until = TelemetryRollup.hourOf(before);
    long stripped = 0;
    Timestamp strippedUntil;
    long watermark;
    long horizon;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT stripped_until, xact_watermark,"
                    + " pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon"
                    + " FROM presence_retention_state")) {
      rs.next();
      strippedUntil = rs.getTimestamp("stripped_until");
      watermark = rs.getLong("xact_watermark");
      horizon = rs.getLong("horizon");
    }
    if (strippedUntil != null) {
      stripped += stripLate(c, watermark, horizon, strippedUntil);
    }
    Instant from =
        strippedUntil != null ? strippedUntil.toInstant() : TelemetryRollup.oldestDocument(c);
    for (Instant hour = from == null ? until : TelemetryRollup.hourOf(from);
        hour.isBefore(until);
        hour = hour.plus(HOUR)) {
      stripped += stripHour(c, hour);
    }
    try (PreparedStatement advance =
        c.prepareStatement(
            "UPDATE presence_retention_state SET xact_watermark = ?,"
                + " stripped_until = greatest(stripped_until, ?)")) {
      advance.setLong(1, horizon);
      advance.setTimestamp(2, Timestamp.from(until));
      advance.executeUpdate();
    }
    return stripped;
  }

  /** The documents of one hour, and that hour marked done, in one transaction. */
  private static int stripHour(Connection c, Instant hour) throws SQLException {
    return inTransaction(
        c,
        () -> {
          int stripped;
          try (PreparedStatement strip = c.prepareStatement(STRIP + " AND ts >= ? AND ts < ?")) {
            strip.setString(1, PRESENCE_NAME);
            strip.setTimestamp(2, Timestamp.from(hour));
            strip.setTimestamp(3, Timestamp.from(hour.plus(HOUR)));
            stripped = strip.executeUpdate();
          }
          try (PreparedStatement done =
              c.prepareStatement(
                  "UPDATE presence_retention_state"
                      + " SET stripped_until = greatest(stripped_until, ?)")) {
            done.setTimestamp(1, Timestamp.from(hour.plus(HOUR)));
            done.executeUpdate();
          }
          return stripped;
        });
  }

  /**
   * The documents written since the last round (transaction ids from {@code watermark} to {@code
   * horizon}) with a time before {@code strippedUntil}: devices sending a backlog late.
   */
  private static int stripLate(Connection c, long watermark, long horizon, Timestamp strippedUntil)
      throws SQLException {
    return inTransaction(
        c,
        () -> {
          try (Statement s = c.createStatement()) {
            // The BRIN index on xact_id finds the few recent pages; the planner cannot know that
            // the ids past the watermark are few and would otherwise read the whole table.
            s.execute("SET LOCAL enable_seqscan = off");
          }
          try (PreparedStatement strip =
              c.prepareStatement(STRIP + " AND xact_id >= ? AND xact_id < ? AND ts < ?")) {
            strip.setString(1, PRESENCE_NAME);
            strip.setLong(2, watermark);
            strip.setLong(3, horizon);
            strip.setTimestamp(4, strippedUntil);
            return strip.executeUpdate();
          }
        });
  }

  private interface Work {
    int run() throws SQLException;
  }

  private static int inTransaction(Connection c, Work work) throws SQLException {
    c.setAutoCommit(false);
    try {
      int result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
