package io.aftercare.gateway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.gateway.db.EmbeddedPostgresServer;
import io.aftercare.gateway.ingest.BinaryCopyRows;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's ceiling: how fast PostgreSQL itself takes the rows the load test sends, with
 * nothing of the platform in between. A fresh embedded PostgreSQL with the platform's settings and
 * schema (so the same primary key and BRIN index) loads a file of the same rows — message {@code i}
 * of the load goes to device {@code i mod devices} at {@code start + i / rate}, one row per metric
 * — with one {@code COPY ... FROM STDIN}, once in text and once in binary format.
 *
 * <p>{@code java -cp gateway.jar io.aftercare.gateway.bench.CopyCeiling --data-dir DIR}
 */
@Command(
    name = "copy-ceiling",
    mixinStandardHelpOptions = true,
    description = "Measures raw COPY of load-shaped telemetry rows into a fresh database.")
public final class CopyCeiling implements Callable<Integer> {

  @Option(names = "--data-dir", required = true, description = "Fresh folder for the database")
  private Path dataDir;

  @Option(
      names = "--rows",
      defaultValue = "3000000",
      description = "Rows (default ${DEFAULT-VALUE})")
  private long rows;

  @Option(names = "--devices", defaultValue = "200", description = "Devices (${DEFAULT-VALUE})")
  private int devices;

  @Option(names = "--metrics", defaultValue = "5", description = "Metrics per message")
  private int metrics;

  @Option(names = "--rate", defaultValue = "30000", description = "Messages per second")
  private int rate;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CopyCeiling()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path text = dataDir.resolve("rows.txt");
    Path binary = dataDir.resolve("rows.bin");
    Files.createDirectories(dataDir);
    writeRows(text, binary);
    try (EmbeddedPostgresServer postgres =
        EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0)) {
      Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.user(), "").load().migrate();
      try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
        double textRate = copy(c, text, "");
        double binaryRate = copy(c, binary, " (FORMAT binary)");
        // The result is this tool's output, one JSON line on stdout for bench/benchmark.sh.
        System.out.println(
            new ObjectMapper()
                .createObjectNode()
                .put("rows", rows)
                .put("textRowsPerSecond", Math.round(textRate))
                .put("binaryRowsPerSecond", Math.round(binaryRate))
                .put("postgres", serverVersion(c)));
      }
    }
    Files.delete(text);
    Files.delete(binary);
    return 0;
  }

  /** Rows per second of one COPY of the whole file into an emptied, checkpointed table. */
  private double copy(Connection c, Path file, String format) throws SQLException, IOException {
    try (Statement s = c.createStatement()) {
      s.execute("TRUNCATE telemetry");
      s.execute("CHECKPOINT");
    }
    c.setAutoCommit(false);
    long start = System.nanoTime();
    try (InputStream in = Files.newInputStream(file)) {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn("COPY telemetry (device_id, metric, ts, value) FROM STDIN" + format, in, 1 << 16);
    }
    c.commit();
    double seconds = (System.nanoTime() - start) / 1e9;
    c.setAutoCommit(true);
    return rows / seconds;
  }

  private void writeRows(Path text, Path binary) throws IOException {
    long startMillis = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    BinaryCopyRows binaryRows = new BinaryCopyRows();
    binaryRows.clear();
    try (BufferedWriter t = Files.newBufferedWriter(text, StandardCharsets.UTF_8)) {
      long messages = (rows + metrics - 1) / metrics;
      long written = 0;
      for (long i = 0; i < messages && written < rows; i++) {
        String device = String.format(Locale.ROOT, "ceiling-%05d", i % devices);
        Instant ts = Instant.ofEpochMilli(startMillis + i * 1000 / rate);
        for (int m = 0; m < metrics && written < rows; m++, written++) {
          String metric = "load_" + m;
          double value = (i * 31 + m) % 1000 / 10.0;
          t.append(device).append('\t').append(metric).append('\t').append(ts.toString());
          t.append('\t').append(Double.toString(value)).append('\n');
          binaryRows.add(device, metric, ts, value);
        }
      }
    }
    try (OutputStream b = new BufferedOutputStream(Files.newOutputStream(binary), 1 << 16)) {
      binaryRows.writeTo(b);
    }
  }

  private static String serverVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
