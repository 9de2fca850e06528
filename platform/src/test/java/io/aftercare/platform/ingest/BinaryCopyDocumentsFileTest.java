package io.aftercare.platform.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.testsupport.TestDatabases;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

/** The file the benchmark's ceiling COPYs is the writer's encoding, read back exactly. */
class BinaryCopyDocumentsFileTest {

  @Test
  void documentsWrittenToAFileAreReadBackByCopyExactly(@TempDir Path dir) throws Exception {
    TestDatabases.TestDatabase database = TestDatabases.fresh();
    Flyway.configure()
        .dataSource(database.url(), database.user(), database.password())
        .load()
        .migrate();
    Instant ts = Instant.parse("2026-11-23T10:00:00.123456Z");
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("load_0", 21.5);
    metrics.put("load_1", -0.25);
    metrics.put("load_2", 1.0e-7);
    metrics.put("load_3", 0.1 + 0.2);
    // Where shortest-decimal writers and Java 17's Double.toString differ, and the extremes.
    metrics.put("load_4", 2.0e23);
    metrics.put("load_5", 1.0e-5);
    metrics.put("load_6", Double.MIN_VALUE);
    metrics.put("load_7", -Double.MAX_VALUE);
    metrics.put("load_8", 4.8726570057e288);
    metrics.put("load_9", 123456789012345680.0);
    BinaryCopyDocuments rows = new BinaryCopyDocuments();
    rows.clear();
    rows.add("ceiling-00001", ts, metrics);
    Path file = dir.resolve("documents.bin");
    try (OutputStream out = Files.newOutputStream(file)) {
      rows.writeTo(out);
    }

    try (Connection c = database.connect();
        InputStream in = Files.newInputStream(file)) {
      long copied =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "COPY telemetry_documents (device_id, ts, metrics) FROM STDIN (FORMAT binary)",
                  in);
      assertThat(copied).isEqualTo(1);
      Map<String, Double> stored = new LinkedHashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT device_id, metric, ts, value FROM telemetry ORDER BY metric")) {
        while (rs.next()) {
          assertThat(rs.getString(1)).isEqualTo("ceiling-00001");
          assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(ts);
          stored.put(rs.getString(2), rs.getDouble(4));
        }
      }
      // Every double comes back bit for bit, including ones with no short decimal form.
      assertThat(stored).isEqualTo(metrics);
    }
  }
}
