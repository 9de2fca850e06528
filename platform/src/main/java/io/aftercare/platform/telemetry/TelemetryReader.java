package io.aftercare.platform.telemetry;

import io.aftercare.platform.db.Jdbc;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads a device's stored telemetry and events for staff. */
public final class TelemetryReader {

  /** One stored value. */
  public record Point(String metric, Instant ts, double value) {}

  /** Aggregates of one metric over one time bucket. */
  public record Bucket(String metric, Instant ts, double avg, double min, double max, long count) {}

  /** One stored event. */
  public record StoredEvent(
      long id,
      Instant ts,
      Instant receivedAt,
      String type,
      String code,
      String message,
      @com.fasterxml.jackson.annotation.JsonProperty("data")
          @com.fasterxml.jackson.annotation.JsonRawValue
          String dataJson) {}

  private final Jdbc jdbc;

  public TelemetryReader(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Raw points in time order.
   *
   * @param metric one metric, or {@code null} for all
   */
  public Future<List<Point>> points(
      String deviceId, String metric, Instant from, Instant to, int limit) {
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT metric, ts, value FROM telemetry"
                      + " WHERE device_id = ? AND (?::text IS NULL OR metric = ?)"
                      + " AND ts >= ? AND ts < ? ORDER BY ts, metric LIMIT ?")) {
            select.setString(1, deviceId);
            select.setString(2, metric);
            select.setString(3, metric);
            select.setTimestamp(4, Timestamp.from(from));
            select.setTimestamp(5, Timestamp.from(to));
            select.setInt(6, limit);
            List<Point> points = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                points.add(
                    new Point(
                        rs.getString("metric"),
                        rs.getTimestamp("ts").toInstant(),
                        rs.getDouble("value")));
              }
            }
            return points;
          }
        });
  }

  /**
   * Per-bucket avg/min/max/count in time order; buckets are aligned to the epoch. Buckets of whole
   * hours take the hours the rollup covers from {@code telemetry_hourly} (V85, {@link
   * TelemetryRollup}) and only the rest (the hour in progress, hours the start-up backfill has not
   * reached, partial hours at the edges) from the documents.
   */
  public Future<List<Bucket>> buckets(
      String deviceId, String metric, Instant from, Instant to, Duration bucket, int limit) {
    return jdbc.call(
        connection -> {
          Instant[] covered =
              bucket.toSeconds() % 3600 == 0 && bucket.toNanosPart() == 0
                  ? coveredHours(connection, from, to)
                  : null;
          String sql;
          if (covered == null) {
            sql =
                "SELECT metric, b, s / n AS avg, mn AS min, mx AS max, n AS count FROM ("
                    + rawPart(metric)
                    + ") raw ORDER BY b, metric LIMIT ?";
          } else {
            sql =
                "SELECT metric, b, sum(s) / sum(n) AS avg, min(mn) AS min, max(mx) AS max,"
                    + " sum(n) AS count FROM ("
                    + rawPart(metric)
                    + " UNION ALL "
                    + rawPart(metric)
                    + " UNION ALL SELECT metric, date_bin(make_interval(secs => ?), hour,"
                    + " TIMESTAMPTZ 'epoch') AS b, n, sum, min, max FROM telemetry_hourly"
                    + " WHERE device_id = ? AND hour >= ? AND hour < ?"
                    + (metric == null ? "" : " AND metric = ?")
                    + ") parts (metric, b, n, s, mn, mx) GROUP BY metric, b ORDER BY b, metric LIMIT ?";
          }
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            if (covered == null) {
              i = bindRaw(select, i, bucket, metric, deviceId, from, to);
            } else {
              i = bindRaw(select, i, bucket, metric, deviceId, from, covered[0]);
              i = bindRaw(select, i, bucket, metric, deviceId, covered[1], to);
              select.setDouble(i++, bucket.toSeconds());
              select.setString(i++, deviceId);
              select.setTimestamp(i++, Timestamp.from(covered[0]));
              select.setTimestamp(i++, Timestamp.from(covered[1]));
              if (metric != null) {
                select.setString(i++, metric);
              }
            }
            select.setInt(i, limit);
            List<Bucket> buckets = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                buckets.add(
                    new Bucket(
                        rs.getString("metric"),
                        rs.getTimestamp("b").toInstant(),
                        rs.getDouble("avg"),
                        rs.getDouble("min"),
                        rs.getDouble("max"),
                        rs.getLong("count")));
              }
            }
            return buckets;
          }
        });
  }

  /**
   * The whole hours within [from, to) that the rollup holds, as {start, end}, or {@code null} if
   * none: from the backfill's reach (or the beginning, once it is done) to the hour the last round
   * saw in progress.
   */
  private static Instant[] coveredHours(Connection connection, Instant from, Instant to)
      throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT covered_until, CASE WHEN backfill_done THEN NULL ELSE backfill_from END"
                    + " AS covered_from FROM telemetry_rollup_state")) {
      if (!rs.next() || rs.getTimestamp("covered_until") == null) {
        return null;
      }
      Instant until = rs.getTimestamp("covered_until").toInstant();
      Timestamp coveredFrom = rs.getTimestamp("covered_from");
      Instant start = TelemetryRollup.hourOf(from);
      if (start.isBefore(from)) {
        start = start.plus(Duration.ofHours(1));
      }
      if (coveredFrom != null && start.isBefore(coveredFrom.toInstant())) {
        start = coveredFrom.toInstant();
      }
      Instant end = TelemetryRollup.hourOf(to);
      if (end.isAfter(until)) {
        end = until;
      }
      return start.isBefore(end) ? new Instant[] {start, end} : null;
    }
  }

  /**
   * Per-bucket count, sum, min and max over documents in a time range, as rows (metric, b, n, s,
   * mn, mx). One metric is read straight out of each document, not through the {@code telemetry}
   * view, which expands every metric of every document (jsonb_each) to keep one: over 30 days of
   * one device that expansion was most of the query once the rows were read (bench's
   * console-queries). The value is the same double: the view casts the JSON number, this its text.
   */
  private static String rawPart(String metric) {
    if (metric == null) {
      return "SELECT metric, date_bin(make_interval(secs => ?), ts, TIMESTAMPTZ 'epoch') AS b,"
          + " count(*) AS n, sum(value) AS s, min(value) AS mn, max(value) AS mx"
          + " FROM telemetry WHERE device_id = ? AND ts >= ? AND ts < ? GROUP BY metric, b";
    }
    return "SELECT ?::text AS metric, date_bin(make_interval(secs => ?), ts, TIMESTAMPTZ 'epoch')"
        + " AS b, count(*) AS n, sum(v) AS s, min(v) AS mn, max(v) AS mx"
        + " FROM (SELECT ts, (metrics ->> ?)::double precision AS v FROM telemetry_documents"
        + " WHERE metrics ->> ? IS NOT NULL AND device_id = ? AND ts >= ? AND ts < ?) one"
        + " GROUP BY b";
  }

  private static int bindRaw(
      PreparedStatement select,
      int first,
      Duration bucket,
      String metric,
      String deviceId,
      Instant from,
      Instant to)
      throws SQLException {
    int i = first;
    if (metric != null) {
      select.setString(i++, metric);
    }
    select.setDouble(i++, bucket.toMillis() / 1000.0);
    if (metric != null) {
      select.setString(i++, metric);
      select.setString(i++, metric);
    }
    select.setString(i++, deviceId);
    select.setTimestamp(i++, Timestamp.from(from));
    select.setTimestamp(i++, Timestamp.from(to));
    return i;
  }

  /** Events in time order. */
  public Future<List<StoredEvent>> events(String deviceId, Instant from, Instant to, int limit) {
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT id, ts, received_at, type, code, message, data::text AS data"
                      + " FROM device_events"
                      + " WHERE device_id = ? AND ts >= ? AND ts < ? ORDER BY ts, id LIMIT ?")) {
            select.setString(1, deviceId);
            select.setTimestamp(2, Timestamp.from(from));
            select.setTimestamp(3, Timestamp.from(to));
            select.setInt(4, limit);
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                events.add(
                    new StoredEvent(
                        rs.getLong("id"),
                        rs.getTimestamp("ts").toInstant(),
                        rs.getTimestamp("received_at").toInstant(),
                        rs.getString("type"),
                        rs.getString("code"),
                        rs.getString("message"),
                        rs.getString("data")));
              }
            }
            return events;
          }
        });
  }
}
