package io.aftercare.platform.telemetry;

import io.aftercare.platform.db.Jdbc;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code telemetry_hourly} (V85) up to date in the background, so that the ingest transaction
 * stays a bare COPY. Every round, on a worker thread and in one transaction: the documents written
 * by transactions past the watermark are added to their hours, the (device, hour) pairs holding a
 * document changed after it was written (V109) are recomputed wholly from the documents, and the
 * watermark advances. Then, until it is done, one range of hours written before V85 is backfilled,
 * newest first. A round's work is the documents it adds, not the hours they fall in: recomputing
 * every touched hour read the whole hour in progress of every active device each round. A crash
 * repeats a round whole; late documents are added to their hour like any other.
 */
public final class TelemetryRollup {

  private static final Logger LOG = LoggerFactory.getLogger(TelemetryRollup.class);

  /** Hours of pre-V85 documents backfilled per transaction, so none holds locks for long. */
  static final Duration BACKFILL_CHUNK = Duration.ofHours(2);

  /** Serialises rounds of several platform instances on one database. */
  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('telemetry_rollup'))";

  /**
   * The documents of transactions in [?, ?) not changed since they were written, added to their
   * hours: these are counted nowhere yet.
   */
  private static final String ADD =
      "INSERT INTO telemetry_hourly AS h (device_id, hour, metric, n, sum, min, max)"
          + " SELECT d.device_id, date_bin(INTERVAL '1 hour', d.ts, TIMESTAMPTZ 'epoch'), m.key,"
          + " count(*), sum(m.value::double precision), min(m.value::double precision),"
          + " max(m.value::double precision)"
          + " FROM telemetry_documents d CROSS JOIN LATERAL jsonb_each(d.metrics) AS m"
          + " WHERE d.xact_id >= ? AND d.xact_id < ? AND d.rewritten IS NOT TRUE"
          + " GROUP BY 1, 2, 3"
          + " ON CONFLICT (device_id, hour, metric) DO UPDATE SET n = h.n + EXCLUDED.n,"
          + " sum = h.sum + EXCLUDED.sum, min = least(h.min, EXCLUDED.min),"
          + " max = greatest(h.max, EXCLUDED.max)";

  /**
   * The given (device, hour) pairs from all their documents the rollup holds or is given now: those
   * of transactions below the new watermark, and those from before V85. Later documents are left to
   * the round that takes in their transaction, which would otherwise add them a second time.
   */
  private static final String RECOMPUTE =
      "INSERT INTO telemetry_hourly (device_id, hour, metric, n, sum, min, max)"
          + " SELECT d.device_id, p.hour, m.key, count(*), sum(m.value::double precision),"
          + " min(m.value::double precision), max(m.value::double precision)"
          + " FROM unnest(?::text[], ?::timestamptz[]) AS p (device_id, hour)"
          + " JOIN telemetry_documents d ON d.device_id = p.device_id AND d.ts >= p.hour"
          + " AND d.ts < p.hour + INTERVAL '1 hour' AND (d.xact_id IS NULL OR d.xact_id < ?)"
          + " CROSS JOIN LATERAL jsonb_each(d.metrics) AS m"
          + " GROUP BY d.device_id, p.hour, m.key";

  private final Vertx vertx;
  private final Jdbc jdbc;
  private final Clock clock;
  private final Duration interval;
  private final Instant startedAt;
  private final AtomicReference<Instant> caughtUpAt = new AtomicReference<>();
  private volatile boolean stopped;
  private Optional<Instant> oldest;

  public TelemetryRollup(
      Vertx vertx, Jdbc jdbc, Clock clock, Duration interval, MeterRegistry meters) {
    this.vertx = vertx;
    this.jdbc = jdbc;
    this.clock = clock;
    this.interval = interval;
    this.startedAt = clock.instant();
    Gauge.builder("aftercare.telemetry.rollup.lag", this, TelemetryRollup::lagSeconds)
        .baseUnit("seconds")
        .description(
            "Seconds since the hourly telemetry rollup last held every stored document (grows"
                + " while the start-up backfill runs)")
        .register(meters);
  }

  /** Starts the rounds: the first at once, then one {@code interval} after each ends. */
  public void start() {
    schedule(Duration.ZERO);
  }

  public void stop() {
    stopped = true;
  }

  private void schedule(Duration delay) {
    if (stopped) {
      return;
    }
    vertx.setTimer(
        Math.max(1, delay.toMillis()),
        id ->
            runRound()
                .onComplete(
                    result -> {
                      if (result.failed()) {
                        LOG.warn("Telemetry rollup failed: {}", result.cause().getMessage());
                        schedule(interval);
                      } else {
                        // While backfilling, the next chunk follows at once.
                        schedule(result.result() ? interval : Duration.ZERO);
                      }
                    }));
  }

  /** One round; completes with whether the backfill is done. */
  Future<Boolean> runRound() {
    return jdbc.transaction(TelemetryRollup::catchUp)
        .compose(ignored -> jdbc.transaction(this::backfillStep))
        .compose(
            done -> {
              if (done) {
                return jdbc.transaction(TelemetryRollup::markCaughtUp)
                    .map(
                        at -> {
                          caughtUpAt.set(at);
                          return true;
                        });
              }
              return Future.succeededFuture(false);
            });
  }

  private double lagSeconds() {
    Instant since = caughtUpAt.get();
    return Duration.between(since == null ? startedAt : since, clock.instant()).toMillis() / 1000.0;
  }

  /**
   * Takes in the documents written since the watermark and advances it to the xmin of a snapshot
   * taken under the lock: every transaction below that id has ended, so its documents are visible
   * to the statements that follow (each takes a newer snapshot), and none can still appear below
   * the new watermark. Every statement counts only documents below that id, so a transaction that
   * commits meanwhile is taken in by the next round, once.
   */
  static Void catchUp(Connection c) throws SQLException {
    long watermark;
    long horizon;
    Timestamp hourNow;
    try (Statement s = c.createStatement()) {
      s.execute(LOCK);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT xact_watermark, pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS"
                  + " horizon, date_bin(INTERVAL '1 hour', now(), TIMESTAMPTZ 'epoch') AS hour_now"
                  + " FROM telemetry_rollup_state")) {
        rs.next();
        watermark = rs.getLong("xact_watermark");
        horizon = rs.getLong("horizon");
        hourNow = rs.getTimestamp("hour_now");
      }
      // The BRIN index on xact_id finds the few recent pages; the planner cannot know that the
      // ids past the watermark are few and would otherwise read the whole table.
      s.execute("SET LOCAL enable_seqscan = off");
    }
    try (PreparedStatement add = c.prepareStatement(ADD)) {
      add.setLong(1, watermark);
      add.setLong(2, horizon);
      add.executeUpdate();
    }
    List<String> devices = new ArrayList<>();
    List<Timestamp> hours = new ArrayList<>();
    try (PreparedStatement rewritten =
        c.prepareStatement(
            "SELECT DISTINCT device_id, date_bin(INTERVAL '1 hour', ts, TIMESTAMPTZ 'epoch')"
                + " AS hour FROM telemetry_documents WHERE xact_id >= ? AND xact_id < ?"
                + " AND rewritten")) {
      rewritten.setLong(1, watermark);
      rewritten.setLong(2, horizon);
      try (ResultSet rs = rewritten.executeQuery()) {
        while (rs.next()) {
          devices.add(rs.getString("device_id"));
          hours.add(rs.getTimestamp("hour"));
        }
      }
    }
    if (!devices.isEmpty()) {
      recompute(c, devices, hours, horizon);
    }
    try (PreparedStatement advance =
        c.prepareStatement(
            "UPDATE telemetry_rollup_state SET xact_watermark = ?,"
                + " covered_until = greatest(covered_until, ?)")) {
      advance.setLong(1, horizon);
      advance.setTimestamp(2, hourNow);
      advance.executeUpdate();
    }
    return null;
  }

  private static void recompute(
      Connection c, List<String> devices, List<Timestamp> hours, long horizon) throws SQLException {
    Array deviceArray = c.createArrayOf("text", devices.toArray());
    Array hourArray = c.createArrayOf("timestamptz", hours.toArray());
    try (PreparedStatement delete =
            c.prepareStatement(
                "DELETE FROM telemetry_hourly h USING unnest(?::text[], ?::timestamptz[])"
                    + " AS p (device_id, hour)"
                    + " WHERE h.device_id = p.device_id AND h.hour = p.hour");
        PreparedStatement insert = c.prepareStatement(RECOMPUTE)) {
      delete.setArray(1, deviceArray);
      delete.setArray(2, hourArray);
      delete.executeUpdate();
      insert.setArray(1, deviceArray);
      insert.setArray(2, hourArray);
      insert.setLong(3, horizon);
      insert.executeUpdate();
    }
  }

  /**
   * Rolls up the pre-V85 documents of the {@link #BACKFILL_CHUNK} hours before {@code
   * backfill_from} and moves it back; done once it passes the oldest document. Returns whether the
   * backfill is done.
   */
  private boolean backfillStep(Connection c) throws SQLException {
    if (oldest == null) {
      // Looked up once per run: it only moves forward (retention), which backfills nothing new.
      oldest = Optional.ofNullable(oldestDocument(c));
    }
    return backfillStep(c, oldest.orElse(null));
  }

  /** {@link #backfillStep(Connection)} with the oldest document's time given. */
  static boolean backfillStep(Connection c, Instant oldest) throws SQLException {
    Instant from;
    try (Statement s = c.createStatement()) {
      s.execute(LOCK);
      try (ResultSet rs =
          s.executeQuery("SELECT backfill_from, backfill_done FROM telemetry_rollup_state")) {
        rs.next();
        if (rs.getBoolean("backfill_done")) {
          return true;
        }
        from = rs.getTimestamp("backfill_from").toInstant();
      }
    }
    Instant lower = from.minus(BACKFILL_CHUNK);
    if (oldest != null && oldest.isBefore(from)) {
      recomputeRange(c, lower, from);
    }
    boolean done = oldest == null || !oldest.isBefore(lower);
    try (PreparedStatement advance =
        c.prepareStatement(
            "UPDATE telemetry_rollup_state SET backfill_from = ?, backfill_done = ?")) {
      advance.setTimestamp(1, Timestamp.from(lower));
      advance.setBoolean(2, done);
      advance.executeUpdate();
    }
    return done;
  }

  /**
   * Recomputes the rollup of every device for the hours from {@code lower} (inclusive) to {@code
   * upper} (exclusive), both whole hours, under the rollup's lock: the caller's transaction holds
   * it until it ends. Documents at or past the watermark are left out: the next round adds them.
   */
  public static void recomputeRange(Connection c, Instant lower, Instant upper)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(LOCK);
    }
    try (PreparedStatement delete =
            c.prepareStatement("DELETE FROM telemetry_hourly WHERE hour >= ? AND hour < ?");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO telemetry_hourly (device_id, hour, metric, n, sum, min, max)"
                    + " SELECT d.device_id, date_bin(INTERVAL '1 hour', d.ts, TIMESTAMPTZ"
                    + " 'epoch') AS hour, m.key, count(*), sum(m.value::double precision),"
                    + " min(m.value::double precision), max(m.value::double precision)"
                    + " FROM telemetry_documents d CROSS JOIN LATERAL jsonb_each(d.metrics) AS m"
                    + " WHERE d.ts >= ? AND d.ts < ? AND (d.xact_id IS NULL OR d.xact_id <"
                    + " (SELECT xact_watermark FROM telemetry_rollup_state))"
                    + " GROUP BY 1, 2, 3")) {
      for (PreparedStatement range : List.of(delete, insert)) {
        range.setTimestamp(1, Timestamp.from(lower));
        range.setTimestamp(2, Timestamp.from(upper));
        range.executeUpdate();
      }
    }
  }

  /** The start of the UTC hour holding {@code instant}. */
  public static Instant hourOf(Instant instant) {
    return instant.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
  }

  /**
   * The oldest stored document's time, one primary-key probe per registered device rather than a
   * scan of the table (which has no index that orders it by time alone).
   */
  public static Instant oldestDocument(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT min(f.ts) AS oldest FROM devices dv CROSS JOIN LATERAL (SELECT ts FROM"
                    + " telemetry_documents d WHERE d.device_id = dv.id ORDER BY ts LIMIT 1) f")) {
      rs.next();
      Timestamp oldest = rs.getTimestamp("oldest");
      return oldest == null ? null : oldest.toInstant();
    }
  }

  private static Instant markCaughtUp(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "UPDATE telemetry_rollup_state SET caught_up_at = now() RETURNING now()")) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    }
  }
}
