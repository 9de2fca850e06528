package io.aftercare.platform.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.domain.Telemetry;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.testsupport.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * A batch the database refuses because of one uplink stores all the others and fails only that one,
 * in a handful of transactions rather than one per uplink. The refusal is real: a trigger in the
 * test database rejects one device's rows, as a constraint would.
 */
class TelemetryWriterBadRowTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final int UPLINKS = 64;

  private TestDatabases.TestDatabase database;
  private SimpleMeterRegistry meters;
  private TelemetryWriter writer;

  @BeforeEach
  void migrate() throws Exception {
    database = TestDatabases.fresh();
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(database.url());
    dataSource.setUser(database.user());
    dataSource.setPassword(database.password());
    Flyway.configure().dataSource(dataSource).load().migrate();
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$"
              + " BEGIN IF NEW.device_id = 'poison' THEN RAISE EXCEPTION 'poisoned row'; END IF;"
              + " RETURN NEW; END $$");
      s.execute(
          "CREATE TRIGGER refuse_poison BEFORE INSERT ON telemetry_documents"
              + " FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
    }
    meters = new SimpleMeterRegistry();
    AftercareConfig.Ingest config =
        new AftercareConfig.Ingest(
            10_000,
            20_000,
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            1000,
            256,
            Duration.ofHours(24),
            new AftercareConfig.DeviceQuota(2000, 4 << 20, Duration.ofSeconds(2), 20_000, 1000));
    writer = new TelemetryWriter(dataSource, config, meters);
  }

  @AfterEach
  void stop() {
    writer.close();
  }

  @Test
  void oneBadUplinkFailsAloneAndTheBatchIsNotWrittenRowByRow() throws Exception {
    // Queued before the writer starts, so that all of them form one batch.
    List<CompletableFuture<Optional<ServiceException>>> acks = new ArrayList<>();
    for (int i = 0; i < UPLINKS; i++) {
      acks.add(offer(uplink(i == UPLINKS / 3 ? "poison" : "plug-" + i)));
    }
    writer.start();

    for (int i = 0; i < UPLINKS; i++) {
      Optional<ServiceException> answer = acks.get(i).get(30, TimeUnit.SECONDS);
      if (i == UPLINKS / 3) {
        assertThat(answer).map(ServiceException::failure).contains(Failure.INTERNAL);
      } else {
        assertThat(answer).isEmpty();
      }
    }
    assertThat(count("SELECT count(*) FROM telemetry_documents")).isEqualTo(UPLINKS - 1);
    // Halving 64 down to the bad one commits one half per level: 6, not 63 single writes.
    assertThat(meters.summary("aftercare.ingest.batch.rows").count())
        .isLessThanOrEqualTo(2 * Integer.numberOfTrailingZeros(UPLINKS));
    assertThat(writer.queuedPoints("plug-1")).isZero();
    assertThat(writer.queuedPoints("poison")).isZero();
  }

  private static Uplink.TelemetryBatch uplink(String deviceId) {
    return new Uplink.TelemetryBatch(
        deviceId, List.of(new Telemetry(deviceId, T0, true, Map.of("power_w", 10.0))));
  }

  private CompletableFuture<Optional<ServiceException>> offer(Uplink uplink) {
    CompletableFuture<Optional<ServiceException>> ack = new CompletableFuture<>();
    writer.offer(uplink, failure -> ack.complete(Optional.ofNullable(failure)));
    return ack;
  }

  private long count(String sql) throws Exception {
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
