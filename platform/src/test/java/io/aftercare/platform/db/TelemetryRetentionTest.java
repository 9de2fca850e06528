package io.aftercare.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.TestPlatform;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Telemetry retention on plain PostgreSQL (docs/retention.md), on the platform's own schema. */
class TelemetryRetentionTest {

  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void deletesOnlyDocumentsOlderThanTheRetentionPeriod() throws SQLException {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    Duration retainFor = Duration.ofDays(365);
    document("meter-1", now.minus(Duration.ofDays(400)));
    document("meter-1", now.minus(Duration.ofDays(366)));
    document("meter-1", now.minus(Duration.ofDays(364)));
    document("meter-2", now.minus(Duration.ofDays(1)));

    long deleted;
    try (Connection c = platform.database().connect()) {
      deleted = TelemetryRetention.deleteOlderThan(c, now.minus(retainFor));
    }

    assertThat(deleted).isEqualTo(2);
    assertThat(
            platform.count("SELECT count(*) FROM telemetry_documents WHERE device_id = 'meter-1'"))
        .isEqualTo(1);
    assertThat(
            platform.count("SELECT count(*) FROM telemetry_documents WHERE device_id = 'meter-2'"))
        .isEqualTo(1);
  }

  @Test
  void deletesTheHourlyRollupWithTheDocuments() throws SQLException {
    Instant before = Instant.parse("2026-06-01T10:30:00Z");
    document("meter-3", Instant.parse("2026-06-01T09:10:00Z"));
    document("meter-3", Instant.parse("2026-06-01T10:10:00Z"));
    document("meter-3", Instant.parse("2026-06-01T10:50:00Z"));
    // The platform's rollup rounds (every second) add them to their hours.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                platform.count("SELECT count(*) FROM telemetry_hourly WHERE device_id = 'meter-3'")
                    == 2);
    try (Connection c = platform.database().connect()) {
      TelemetryRetention.deleteOlderThan(c, before);
    }

    // The hour wholly before goes; the hour the limit falls in counts only what is left of it.
    assertThat(
            platform.count(
                "SELECT count(*) FROM telemetry_hourly WHERE device_id = 'meter-3'"
                    + " AND hour = '2026-06-01T09:00:00Z'"))
        .isZero();
    assertThat(
            platform.count(
                "SELECT n FROM telemetry_hourly WHERE device_id = 'meter-3'"
                    + " AND hour = '2026-06-01T10:00:00Z'"))
        .isEqualTo(1);
  }

  private static void document(String deviceId, Instant ts) {
    platform.execute(
        "INSERT INTO telemetry_documents (device_id, ts, metrics) VALUES (?, ?, '{\"w\": 1}')",
        deviceId,
        Timestamp.from(ts));
  }
}
