package io.aftercare.platform.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.domain.Telemetry;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.testsupport.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The writer COPYs documents straight into {@code telemetry_documents}; a redelivered document
 * makes that fail on the primary key, and the batch must still be stored once per point and
 * acknowledged in full.
 */
class TelemetryWriterRedeliveryTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private TestDatabases.TestDatabase database;
  private PGSimpleDataSource dataSource;
  private SimpleMeterRegistry meters;
  private TelemetryWriter writer;

  @BeforeEach
  void migrate() {
    database = TestDatabases.fresh();
    dataSource = new PGSimpleDataSource();
    dataSource.setURL(database.url());
    dataSource.setUser(database.user());
    dataSource.setPassword(database.password());
    Flyway.configure().dataSource(dataSource).load().migrate();
    meters = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() {
    if (writer != null) {
      writer.close();
    }
  }

  @Test
  void redeliveredPointInABatchWithNewOnesIsStoredOnceAndEveryMessageIsAcknowledged()
      throws Exception {
    startWriter(Duration.ofMinutes(10));
    assertThat(store(message("plug-1", 0, 1))).isEmpty();

    // One uplink holding the redelivered document and a new one: the same transaction for sure.
    List<CompletableFuture<Optional<ServiceException>>> acks = new ArrayList<>();
    acks.add(offer(message("plug-1", 0, 2)));
    acks.add(offer(message("plug-2", 0, 1)));
    acks.add(offer(message("plug-3", 0, 1)));

    for (CompletableFuture<Optional<ServiceException>> ack : acks) {
      assertThat(ack.get(30, TimeUnit.SECONDS)).isEmpty();
    }
    assertThat(rowsPerPoint()).containsOnly(1L);
    assertThat(count("SELECT count(*) FROM telemetry")).isEqualTo(2 * (2 + 1 + 1));
    assertThat(counter("aftercare.ingest.points.duplicate")).isEqualTo(2);
    assertThat(counter("aftercare.ingest.batches.staged")).isPositive();
  }

  @Test
  void batchesAfterARedeliveryGoThroughTheStagingTableForTheFallbackWindow() throws Exception {
    startWriter(Duration.ofMinutes(10));
    assertThat(store(message("lock-1", 0, 1))).isEmpty();
    assertThat(store(message("lock-1", 0, 1))).isEmpty();
    double stagedAfterConflict = counter("aftercare.ingest.batches.staged");

    assertThat(store(message("lock-1", 5, 1))).isEmpty();

    assertThat(stagedAfterConflict).isEqualTo(1);
    assertThat(counter("aftercare.ingest.batches.staged")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM telemetry")).isEqualTo(2 * 2);
  }

  @Test
  void batchesGoStraightIntoTheTableAgainOnceTheWindowHasPassed() throws Exception {
    startWriter(Duration.ZERO);
    assertThat(store(message("cam-1", 0, 1))).isEmpty();
    assertThat(store(message("cam-1", 0, 1))).isEmpty();

    assertThat(store(message("cam-1", 5, 1))).isEmpty();

    assertThat(counter("aftercare.ingest.batches.staged")).isEqualTo(1);
    assertThat(counter("aftercare.ingest.points.written")).isEqualTo(2 * 2);
    assertThat(rowsPerPoint()).containsOnly(1L);
  }

  @Test
  void aLaterDocumentWithTheSameInstantAddsItsNewMetrics() throws Exception {
    startWriter(Duration.ofMinutes(10));
    assertThat(store(document("fridge-1", Map.of("fridge_temp_c", 4.0)))).isEmpty();

    assertThat(store(document("fridge-1", Map.of("fridge_temp_c", 4.0, "door_open", 1.0))))
        .isEmpty();

    assertThat(storedPoints("fridge-1"))
        .containsExactly(Map.entry("door_open", 1.0), Map.entry("fridge_temp_c", 4.0));
    assertThat(counter("aftercare.ingest.points.duplicate")).isEqualTo(1);
    assertThat(counter("aftercare.ingest.points.written")).isEqualTo(2);
  }

  @Test
  void aDocumentContradictingTheStoredValueIsRefusedAndTheOthersOfTheBatchStored()
      throws Exception {
    startWriter(Duration.ofMinutes(10));
    assertThat(store(document("fridge-1", Map.of("fridge_temp_c", 4.0)))).isEmpty();

    // Acknowledging 9.0 would drop it after saying it was stored: the message is refused.
    CompletableFuture<Optional<ServiceException>> contradicting =
        offer(document("fridge-1", Map.of("fridge_temp_c", 9.0, "door_open", 1.0)));
    CompletableFuture<Optional<ServiceException>> neighbour = offer(message("plug-9", 0, 1));
    CompletableFuture<Optional<ServiceException>> redelivery =
        offer(document("fridge-1", Map.of("fridge_temp_c", 4.0)));

    assertThat(contradicting.get(30, TimeUnit.SECONDS))
        .map(ServiceException::failure)
        .contains(Failure.INVALID_INPUT);
    assertThat(neighbour.get(30, TimeUnit.SECONDS)).isEmpty();
    assertThat(redelivery.get(30, TimeUnit.SECONDS)).isEmpty();
    assertThat(storedPoints("fridge-1")).containsExactly(Map.entry("fridge_temp_c", 4.0));
    assertThat(count("SELECT count(*) FROM telemetry WHERE device_id = 'plug-9'")).isEqualTo(2);
    assertThat(counter("aftercare.ingest.messages.contradicting")).isEqualTo(1);
  }

  @Test
  void aRedeliveryQueuedBehindAContradictionOfItIsStillAcknowledged() throws Exception {
    startWriter(Duration.ofMinutes(10));
    assertThat(store(document("fridge-2", Map.of("fridge_temp_c", 4.0)))).isEmpty();
    CompletableFuture<Optional<ServiceException>> contradicting;
    CompletableFuture<Optional<ServiceException>> redelivery;
    CompletableFuture<Optional<ServiceException>> blocked;
    // The writer waits on the lock with a first batch while the next two queue up: one batch.
    try (Connection lock = database.connect()) {
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE telemetry_documents IN ACCESS EXCLUSIVE MODE");
      }
      blocked = offer(message("plug-8", 0, 1));
      contradicting = offer(document("fridge-2", Map.of("fridge_temp_c", 9.0)));
      redelivery = offer(document("fridge-2", Map.of("fridge_temp_c", 4.0)));
      lock.rollback();
    }

    assertThat(blocked.get(30, TimeUnit.SECONDS)).isEmpty();
    assertThat(contradicting.get(30, TimeUnit.SECONDS))
        .map(ServiceException::failure)
        .contains(Failure.INVALID_INPUT);
    assertThat(redelivery.get(30, TimeUnit.SECONDS)).isEmpty();
    assertThat(storedPoints("fridge-2")).containsExactly(Map.entry("fridge_temp_c", 4.0));
  }

  @Test
  void twoAgreeingDocumentsWithTheSameInstantInOneBatchBecomeOneRow() throws Exception {
    startWriter(Duration.ofMinutes(10));
    // A JSON array of two documents stamped alike: one uplink, so one transaction for sure.
    Uplink.TelemetryBatch batch =
        new Uplink.TelemetryBatch(
            "thermo-1",
            List.of(
                new Telemetry("thermo-1", T0, true, Map.of("temperature_c", 21.0)),
                new Telemetry(
                    "thermo-1", T0, true, Map.of("temperature_c", 21.0, "battery_pct", 80.0))));

    assertThat(store(batch)).isEmpty();

    assertThat(storedPoints("thermo-1"))
        .containsExactly(Map.entry("battery_pct", 80.0), Map.entry("temperature_c", 21.0));
    assertThat(count("SELECT count(*) FROM telemetry_documents")).isEqualTo(1);
    assertThat(counter("aftercare.ingest.points.duplicate")).isEqualTo(1);
    assertThat(counter("aftercare.ingest.batches.staged")).isZero();
  }

  @Test
  void aMessageWhoseDocumentsContradictEachOtherIsRefusedWhole() throws Exception {
    startWriter(Duration.ofMinutes(10));
    Uplink.TelemetryBatch batch =
        new Uplink.TelemetryBatch(
            "thermo-2",
            List.of(
                new Telemetry("thermo-2", T0.plusSeconds(1), true, Map.of("battery_pct", 80.0)),
                new Telemetry("thermo-2", T0, true, Map.of("temperature_c", 21.0)),
                new Telemetry("thermo-2", T0, true, Map.of("temperature_c", 25.0))));

    assertThat(store(batch)).map(ServiceException::failure).contains(Failure.INVALID_INPUT);

    assertThat(count("SELECT count(*) FROM telemetry_documents")).isZero();
  }

  private void startWriter(Duration redeliveryFallback) {
    AftercareConfig.Ingest config =
        new AftercareConfig.Ingest(
            10_000,
            20_000,
            Duration.ofSeconds(30),
            redeliveryFallback,
            Duration.ofSeconds(2),
            1000,
            256,
            Duration.ofHours(24),
            new AftercareConfig.DeviceQuota(2000, 4 << 20, Duration.ofSeconds(2), 20_000, 1000));
    writer = new TelemetryWriter(dataSource, config, meters);
    writer.start();
  }

  /** Documents at T0 + first, T0 + first + 1 s, … each with two metrics. */
  private static Uplink.TelemetryBatch message(String deviceId, int firstSecond, int documents) {
    List<Telemetry> telemetry = new ArrayList<>();
    for (int i = 0; i < documents; i++) {
      telemetry.add(
          new Telemetry(
              deviceId,
              T0.plusSeconds(firstSecond + i),
              true,
              Map.of("power_w", 10.0 + i, "relay_on", 1.0)));
    }
    return new Uplink.TelemetryBatch(deviceId, telemetry);
  }

  /** One document at T0. */
  private static Uplink.TelemetryBatch document(String deviceId, Map<String, Double> metrics) {
    return new Uplink.TelemetryBatch(deviceId, List.of(new Telemetry(deviceId, T0, true, metrics)));
  }

  private CompletableFuture<Optional<ServiceException>> offer(Uplink uplink) {
    CompletableFuture<Optional<ServiceException>> ack = new CompletableFuture<>();
    writer.offer(uplink, failure -> ack.complete(Optional.ofNullable(failure)));
    return ack;
  }

  private Optional<ServiceException> store(Uplink uplink) throws Exception {
    return offer(uplink).get(30, TimeUnit.SECONDS);
  }

  private List<Long> rowsPerPoint() throws Exception {
    List<Long> counts = new ArrayList<>();
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM telemetry GROUP BY device_id, metric, ts")) {
      while (rs.next()) {
        counts.add(rs.getLong(1));
      }
    }
    return counts;
  }

  /** The device's points at T0 by metric name, in name order. */
  private Map<String, Double> storedPoints(String deviceId) throws Exception {
    Map<String, Double> points = new LinkedHashMap<>();
    try (Connection c = database.connect();
        PreparedStatement select =
            c.prepareStatement(
                "SELECT metric, value FROM telemetry WHERE device_id = ? AND ts = ?"
                    + " ORDER BY metric")) {
      select.setString(1, deviceId);
      select.setTimestamp(2, Timestamp.from(T0));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          points.put(rs.getString(1), rs.getDouble(2));
        }
      }
    }
    return points;
  }

  private long count(String sql) throws Exception {
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private double counter(String name) {
    return meters.counter(name).count();
  }
}
