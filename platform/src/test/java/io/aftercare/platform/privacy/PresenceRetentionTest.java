package io.aftercare.platform.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.TestPlatform;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence metrics kept a shorter time than other telemetry, over the real database
 * (docs/privacy.md): the hourly job strips them from documents older than {@code
 * database.presenceRetainFor}, keeps the documents' other metrics and newer presence readings, and
 * the hourly rollup follows; a document arriving late with an old time is stripped at the next
 * round.
 */
class PresenceRetentionTest {

  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("database.presenceRetainFor", "1d"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void presenceMetricsOlderThanTheirRetentionAreStrippedOtherMetricsAndNewerReadingsKept() {
    platform.api().provisionDevice("pr-sensor", "thermostat");
    Instant old = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
    Instant recent = Instant.now().minus(Duration.ofMinutes(5));
    document(old, "{\"presence\": 1, \"motion_count\": 4, \"temperature_c\": 20.5}");
    document(old.plusSeconds(60), "{\"occupancy\": 1}");
    document(recent, "{\"presence\": 0, \"temperature_c\": 21}");
    // The rollup has taken the documents in, presence figures included.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM telemetry_hourly WHERE device_id = 'pr-sensor'"
                            + " AND hour = ? AND metric = 'presence'",
                        Timestamp.from(old))
                    == 1);

    platform.restart(); // a round runs at start

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metrics(old).equals("{\"temperature_c\": 20.5}"));
    assertThat(metrics(old.plusSeconds(60))).isEqualTo("{}");
    assertThat(metrics(recent)).isEqualTo("{\"presence\": 0, \"temperature_c\": 21}");
    // The rollup recomputes the stripped hour from what is left.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                platform.count(
                        "SELECT count(*) FROM telemetry_hourly WHERE device_id = 'pr-sensor'"
                            + " AND hour = ? AND metric IN ('presence', 'motion_count', 'occupancy')",
                        Timestamp.from(old))
                    == 0);
    assertThat(
            platform.count(
                "SELECT count(*) FROM telemetry_hourly WHERE device_id = 'pr-sensor'"
                    + " AND metric = 'temperature_c' AND hour = ? AND n = 1 AND sum = 20.5",
                Timestamp.from(old)))
        .isEqualTo(1);
  }

  @Test
  void aDocumentArrivingLateWithAnOldTimeIsStrippedAtTheNextRound() {
    platform.api().provisionDevice("pr-late", "thermostat");
    Instant old = Instant.now().minus(Duration.ofDays(5)).truncatedTo(ChronoUnit.HOURS);
    platform.restart(); // a round: the hours up to a day ago are done
    platform.execute(
        "INSERT INTO telemetry_documents (device_id, ts, metrics)"
            + " VALUES ('pr-late', ?, '{\"motion\": 1, \"battery_pct\": 90}'::jsonb)",
        Timestamp.from(old));

    platform.restart(); // the next round finds it by its transaction id

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metrics("pr-late", old).equals("{\"battery_pct\": 90}"));
  }

  private static void document(Instant ts, String metrics) {
    platform.execute(
        "INSERT INTO telemetry_documents (device_id, ts, metrics) VALUES ('pr-sensor', ?, ?::jsonb)",
        Timestamp.from(ts),
        metrics);
  }

  private static String metrics(Instant ts) {
    return metrics("pr-sensor", ts);
  }

  private static String metrics(String deviceId, Instant ts) {
    try (Connection c = platform.database().connect();
        java.sql.PreparedStatement select =
            c.prepareStatement(
                "SELECT metrics::text FROM telemetry_documents WHERE device_id = ? AND ts = ?")) {
      select.setString(1, deviceId);
      select.setTimestamp(2, Timestamp.from(ts));
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
