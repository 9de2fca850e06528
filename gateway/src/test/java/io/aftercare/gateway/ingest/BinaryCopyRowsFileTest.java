package io.aftercare.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.gateway.testing.TestDatabases;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

/** The file the benchmark's ceiling COPYs is the writer's encoding, read back exactly. */
class BinaryCopyRowsFileTest {

  @Test
  void rowsWrittenToAFileAreReadBackByCopyExactly(@TempDir Path dir) throws Exception {
    TestDatabases.TestDatabase database = TestDatabases.fresh();
    Flyway.configure()
        .dataSource(database.url(), database.user(), database.password())
        .load()
        .migrate();
    Instant ts = Instant.parse("2026-11-23T10:00:00.123456Z");
    BinaryCopyRows rows = new BinaryCopyRows();
    rows.clear();
    rows.add("ceiling-00001", "load_0", ts, 21.5);
    rows.add("ceiling-00001", "load_1", ts, -0.25);
    Path file = dir.resolve("rows.bin");
    try (OutputStream out = Files.newOutputStream(file)) {
      rows.writeTo(out);
    }

    try (Connection c = database.connect();
        InputStream in = Files.newInputStream(file)) {
      long copied =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "COPY telemetry (device_id, metric, ts, value) FROM STDIN (FORMAT binary)", in);
      assertThat(copied).isEqualTo(2);
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT device_id, metric, ts, value FROM telemetry ORDER BY metric")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("ceiling-00001");
        assertThat(rs.getString(2)).isEqualTo("load_0");
        assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(ts);
        assertThat(rs.getDouble(4)).isEqualTo(21.5);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getDouble(4)).isEqualTo(-0.25);
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
