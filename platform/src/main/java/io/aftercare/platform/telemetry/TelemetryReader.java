package io.aftercare.platform.telemetry;

import io.aftercare.platform.db.Jdbc;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

  /** Per-bucket avg/min/max/count in time order; buckets are aligned to the epoch. */
  public Future<List<Bucket>> buckets(
      String deviceId, String metric, Instant from, Instant to, Duration bucket, int limit) {
    return jdbc.call(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  metric == null ? ALL_METRICS_BUCKETS : ONE_METRIC_BUCKETS)) {
            int i = 1;
            select.setDouble(i++, bucket.toMillis() / 1000.0);
            if (metric != null) {
              select.setString(i++, metric);
              select.setString(i++, metric);
            }
            select.setString(i++, deviceId);
            select.setTimestamp(i++, Timestamp.from(from));
            select.setTimestamp(i++, Timestamp.from(to));
            select.setInt(i, limit);
            List<Bucket> buckets = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                buckets.add(
                    new Bucket(
                        metric == null ? rs.getString("metric") : metric,
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

  private static final String ALL_METRICS_BUCKETS =
      "SELECT metric, date_bin(make_interval(secs => ?), ts, TIMESTAMPTZ 'epoch') AS b,"
          + " avg(value) AS avg, min(value) AS min, max(value) AS max, count(*) AS count"
          + " FROM telemetry WHERE device_id = ? AND ts >= ? AND ts < ?"
          + " GROUP BY metric, b ORDER BY b, metric LIMIT ?";

  /**
   * One metric read straight out of each document, not through the {@code telemetry} view, which
   * expands every metric of every document (jsonb_each) to keep one: over 30 days of one device
   * that expansion was most of the query once the rows were read (bench's console-queries). The
   * value is the same double: the view casts the JSON number, this its text.
   */
  private static final String ONE_METRIC_BUCKETS =
      "SELECT date_bin(make_interval(secs => ?), ts, TIMESTAMPTZ 'epoch') AS b,"
          + " avg(v) AS avg, min(v) AS min, max(v) AS max, count(*) AS count"
          + " FROM (SELECT ts, (metrics ->> ?)::double precision AS v FROM telemetry_documents"
          + " WHERE metrics ->> ? IS NOT NULL AND device_id = ? AND ts >= ? AND ts < ?) one"
          + " GROUP BY b ORDER BY b LIMIT ?";

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
