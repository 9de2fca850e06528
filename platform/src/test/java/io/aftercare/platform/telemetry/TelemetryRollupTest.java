package io.aftercare.platform.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.TestPlatform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hourly rollup (V85) answers bucketed telemetry exactly as the documents do: after rounds of
 * the job, with late, merged and stripped documents, with documents added to hours it holds, with a
 * document written after the last round, and while the start-up backfill of older documents is
 * under way. Values are multiples of 1/4, so that sums are exact in any order and the averages
 * compare bit for bit.
 */
class TelemetryRollupTest {

  private static final String DEVICE = "rollup-1";

  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    // The platform's own rounds run once at start and then not within the test: the backfill
    // test inserts documents older than any the platform's rounds saw at start (which cannot
    // happen in service: only pre-V85 documents lack a transaction id), and a round of the
    // platform's, knowing only the older oldest document, would mark the backfill done early.
    platform = TestPlatform.start(Map.of("database.rollupInterval", "1h"));
    platform.execute(
        "INSERT INTO devices (id, type, token_salt, token_hash, created_at)"
            + " VALUES (?, 'fridge', '\\x00', '\\x00', now())",
        DEVICE);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void rollupAnswersAsTheDocumentsDo() throws SQLException {
    Instant now = Instant.now();
    Instant base = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(6));
    for (int minute = 0; minute < 6 * 60; minute += 7) {
      document(
          base.plus(Duration.ofMinutes(minute)),
          "{\"temp\": %s, \"door\": %d}",
          quarter(minute),
          minute % 2);
    }
    document(now.minusSeconds(30), "{\"temp\": 3.25}");

    round();
    assertThat(platform.count("SELECT count(*) FROM telemetry_hourly WHERE device_id = ?", DEVICE))
        .isGreaterThan(0);
    assertSameAsDocuments(base, now);

    // Late data for an old hour, and a redelivered document merging a metric it lacked (as the
    // writer's staging path does).
    document(base.plus(Duration.ofMinutes(61)), "{\"temp\": -7.5, \"door\": 1}");
    platform.execute(
        "INSERT INTO telemetry_documents AS t (device_id, ts, metrics) VALUES (?, ?, '{\"hum\": 40}')"
            + " ON CONFLICT (device_id, ts) DO UPDATE SET metrics = EXCLUDED.metrics || t.metrics,"
            + " xact_id = EXCLUDED.xact_id",
        DEVICE,
        Timestamp.from(base.plus(Duration.ofMinutes(14))));
    round();
    assertSameAsDocuments(base, now);

    // More documents for hours the rollup holds already: added to them. And a document changed
    // by a statement that does not mark it itself (presence retention strips metrics so): the
    // trigger of V109 marks it, and its hour is recomputed rather than added to.
    document(base.plus(Duration.ofMinutes(62)), "{\"temp\": 1.25, \"door\": 0}");
    document(now.minusSeconds(20), "{\"temp\": 2.5}");
    platform.execute(
        "UPDATE telemetry_documents SET metrics = metrics - 'door' WHERE device_id = ? AND ts = ?",
        DEVICE,
        Timestamp.from(base.plus(Duration.ofMinutes(7))));
    round();
    assertSameAsDocuments(base, now);

    // Written after the last round, into the hour in progress: read from the documents.
    document(now.minusSeconds(5), "{\"temp\": 99.75, \"door\": 0}");
    assertSameAsDocuments(base, now.plusSeconds(1));
  }

  @Test
  void backfillRollsUpOlderDocumentsAndTheReaderStaysRightMeanwhile() throws SQLException {
    String device = "rollup-2";
    platform.execute(
        "INSERT INTO devices (id, type, token_salt, token_hash, created_at)"
            + " VALUES (?, 'fridge', '\\x00', '\\x00', now())",
        device);
    Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Instant start = end.minus(Duration.ofHours(9));
    // Documents from before V85: no transaction id, known to the rollup only by the backfill.
    platform.execute(
        "INSERT INTO telemetry_documents (device_id, ts, metrics, xact_id)"
            + " SELECT ?, ?::timestamptz + i * INTERVAL '10 minutes',"
            + " jsonb_build_object('temp', i * 0.25, 'door', i % 2), NULL"
            + " FROM generate_series(0, 53) i",
        device, Timestamp.from(start));
    platform.execute(
        "UPDATE telemetry_rollup_state SET backfill_done = FALSE, backfill_from = ?",
        Timestamp.from(end.plus(Duration.ofHours(1))));

    boolean done = false;
    while (!done) {
      try (Connection c = platform.database().connect()) {
        c.setAutoCommit(false);
        done = TelemetryRollup.backfillStep(c, TelemetryRollup.oldestDocument(c));
        c.commit();
      }
      assertSameAsDocuments(device, start, end, "temp");
      assertSameAsDocuments(device, start, end, null);
    }
    assertThat(
            platform.count(
                "SELECT count(*) FROM telemetry_hourly WHERE device_id = ? AND metric = 'temp'",
                device))
        .isEqualTo(9);
  }

  private static String quarter(int minute) {
    return String.valueOf((minute % 37) * 0.25 - 3);
  }

  private static void round() throws SQLException {
    try (Connection c = platform.database().connect()) {
      c.setAutoCommit(false);
      TelemetryRollup.catchUp(c);
      c.commit();
    }
  }

  private static void document(Instant ts, String format, Object... values) {
    platform.execute(
        "INSERT INTO telemetry_documents (device_id, ts, metrics) VALUES (?, ?, ?::jsonb)",
        DEVICE,
        Timestamp.from(ts),
        String.format(java.util.Locale.ROOT, format, values));
  }

  private static void assertSameAsDocuments(Instant from, Instant to) throws SQLException {
    // Edges inside hours, so that partial hours come from the documents.
    Instant mid = from.plus(Duration.ofMinutes(10));
    for (String metric : new String[] {null, "temp", "hum"}) {
      assertSameAsDocuments(DEVICE, from, to, metric);
      assertSameAsDocuments(DEVICE, mid, to, metric);
    }
  }

  private static void assertSameAsDocuments(String device, Instant from, Instant to, String metric)
      throws SQLException {
    // 30 min: not whole hours, answered from the documents alone.
    for (String bucket : new String[] {"1h", "2h", "30m"}) {
      JsonNode body =
          platform
              .api()
              .get(
                  "/api/v1/devices/"
                      + device
                      + "/telemetry?bucket="
                      + bucket
                      + "&from="
                      + from
                      + "&to="
                      + to
                      + (metric == null ? "" : "&metric=" + metric))
              .body();
      List<String> answered = new ArrayList<>();
      body.path("buckets")
          .forEach(
              b ->
                  answered.add(
                      String.join(
                          " ",
                          b.path("metric").asText(),
                          Instant.parse(b.path("ts").asText()).toString(),
                          b.path("avg").asText(),
                          b.path("min").asText(),
                          b.path("max").asText(),
                          b.path("count").asText())));
      assertThat(answered)
          .as("%s buckets of %s from %s", bucket, metric, from)
          .isEqualTo(fromDocuments(device, from, to, metric, seconds(bucket)));
    }
  }

  private static int seconds(String bucket) {
    return switch (bucket) {
      case "1h" -> 3600;
      case "2h" -> 7200;
      default -> 1800;
    };
  }

  /** What the reader answered before the rollup existed: straight from the documents. */
  private static List<String> fromDocuments(
      String device, Instant from, Instant to, String metric, int bucketSeconds)
      throws SQLException {
    try (Connection c = platform.database().connect();
        PreparedStatement select =
            c.prepareStatement(
                "SELECT metric, date_bin(make_interval(secs => ?), ts, TIMESTAMPTZ 'epoch') AS b,"
                    + " avg(value) AS avg, min(value) AS min, max(value) AS max, count(*) AS n"
                    + " FROM telemetry WHERE device_id = ? AND ts >= ? AND ts < ?"
                    + " AND (?::text IS NULL OR metric = ?)"
                    + " GROUP BY metric, b ORDER BY b, metric")) {
      select.setInt(1, bucketSeconds);
      select.setString(2, device);
      select.setTimestamp(3, Timestamp.from(from));
      select.setTimestamp(4, Timestamp.from(to));
      select.setString(5, metric);
      select.setString(6, metric);
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rows.add(
              String.join(
                  " ",
                  rs.getString("metric"),
                  rs.getTimestamp("b").toInstant().toString(),
                  String.valueOf(rs.getDouble("avg")),
                  String.valueOf(rs.getDouble("min")),
                  String.valueOf(rs.getDouble("max")),
                  String.valueOf(rs.getLong("n"))));
        }
      }
      return rows;
    }
  }
}
