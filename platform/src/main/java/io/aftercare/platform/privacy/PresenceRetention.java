package io.aftercare.platform.privacy;

import io.aftercare.platform.db.HourlyPurge;
import io.aftercare.platform.db.Jdbc;
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
 * The shorter retention of presence metrics (docs/privacy.md): every hour, strips the metrics whose
 * name says whether someone is home ({@link DataClassification#PRESENCE_METRICS}) from the
 * telemetry documents older than {@code database.presenceRetainFor}, a batch of documents per
 * statement; the hourly rollup then recomputes those documents' hours without them. The other
 * metrics of those documents stay as long as telemetry does ({@code database.retainFor}). Only
 * whole hours are stripped, so that an hour's rollup never mixes stripped and kept documents. The
 * first round runs at start.
 */
public final class PresenceRetention {

  /**
   * Whether a document holds a presence metric: the predicate of V104's partial index, word for
   * word, so that the planner finds the documents to strip through it.
   */
  static final String HOLDS_PRESENCE =
      "jsonb_path_exists(metrics, '$.keyvalue() ? (@.key starts with \"presence\""
          + " || @.key starts with \"occupancy\" || @.key starts with \"motion\")')";

  /** A presence metric's name, as a regular expression for SQL. */
  private static final String PRESENCE_NAME =
      "^(" + String.join("|", DataClassification.PRESENCE_PREFIXES) + ")";

  /** Documents rewritten per statement, at most. */
  private static final int BATCH = 1_000;

  private PresenceRetention() {}

  /** The hourly stripping of presence metrics. */
  public static HourlyPurge hourly(Vertx vertx, Jdbc jdbc, Clock clock, Duration retainFor) {
    return new HourlyPurge(
        "Presence retention", vertx, jdbc, clock, retainFor, PresenceRetention::stripOlderThan);
  }

  /**
   * Strips the presence metrics of the documents of the whole hours before {@code before}; returns
   * how many documents were rewritten.
   */
  static long stripOlderThan(Connection c, Instant before) throws SQLException {
    Timestamp hour = Timestamp.from(TelemetryRollup.hourOf(before));
    long stripped = 0;
    int round;
    try (PreparedStatement strip =
        c.prepareStatement(
            // By primary key, not ctid: on a TimescaleDB hypertable every chunk is a table.
            // A new xact_id, as a merge gives (V85): the rollup recomputes the document's hour
            // from what is left, so its presence figures go with the metrics.
            "UPDATE telemetry_documents d SET metrics = (SELECT COALESCE(jsonb_object_agg(e.key,"
                + " e.value), '{}'::jsonb) FROM jsonb_each(d.metrics) e WHERE e.key !~ ?),"
                + " xact_id = pg_current_xact_id()::text::bigint"
                + " FROM (SELECT device_id, ts FROM telemetry_documents WHERE ts < ? AND "
                + HOLDS_PRESENCE
                + " LIMIT ?) old WHERE d.device_id = old.device_id AND d.ts = old.ts")) {
      do {
        strip.setString(1, PRESENCE_NAME);
        strip.setTimestamp(2, hour);
        strip.setInt(3, BATCH);
        round = strip.executeUpdate();
        stripped += round;
      } while (round == BATCH);
    }
    return stripped;
  }
}
