package io.aftercare.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.db.EmbeddedPostgresServer;
import io.aftercare.platform.ingest.BinaryCopyDocuments;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The benchmark's ceiling: how fast PostgreSQL itself takes the documents the load test sends, with
 * nothing of the platform in between. A fresh embedded PostgreSQL with the platform's settings and
 * schema (so the same primary key and BRIN index) loads a file of the same documents — message
 * {@code i} of the load goes to device {@code i mod devices} at {@code start + i / rate} with
 * {@code metrics} metrics — with one binary {@code COPY ... FROM STDIN}, the format the writer
 * uses.
 *
 * <p>{@code java -cp bench/target/bench.jar:platform/target/platform.jar
 * io.aftercare.bench.CopyCeiling --data-dir DIR} (the platform jar brings the database, the schema
 * and the libraries)
 */
@Command(
    name = "copy-ceiling",
    mixinStandardHelpOptions = true,
    description = "Measures raw COPY of load-shaped telemetry documents into a fresh database.")
public final class CopyCeiling implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--data-dir", required = true, description = "Fresh folder for the database")
  private Path dataDir;

  @Option(
      names = "--points",
      defaultValue = "3000000",
      description = "Points, metrics times documents (default ${DEFAULT-VALUE})")
  private long points;

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
    Path file = dataDir.resolve("documents.bin");
    Files.createDirectories(dataDir);
    long documents = writeDocuments(file);
    try (EmbeddedPostgresServer postgres =
        EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0)) {
      Flyway.configure()
          .dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
          .load()
          .migrate();
      // The superuser: CHECKPOINT is not the platform's role's to run.
      try (Connection c =
          DriverManager.getConnection(
              postgres.jdbcUrl(),
              EmbeddedPostgresServer.superuser(),
              EmbeddedPostgresServer.superuserPassword(dataDir.resolve("postgres")))) {
        double seconds = copy(c, file);
        // The result is this tool's output, one JSON line for bench/benchmark.sh.
        spec.commandLine()
            .getOut()
            .println(
                new ObjectMapper()
                    .createObjectNode()
                    .put("documents", documents)
                    .put("points", documents * metrics)
                    .put("documentsPerSecond", Math.round(documents / seconds))
                    .put("pointsPerSecond", Math.round(documents * metrics / seconds))
                    .put("postgres", serverVersion(c)));
      }
    }
    Files.delete(file);
    return 0;
  }

  /** Seconds taken by one COPY of the whole file into an emptied, checkpointed table. */
  private static double copy(Connection c, Path file) throws SQLException, IOException {
    try (Statement s = c.createStatement()) {
      s.execute("TRUNCATE telemetry_documents");
      s.execute("CHECKPOINT");
    }
    c.setAutoCommit(false);
    long start = System.nanoTime();
    try (InputStream in = Files.newInputStream(file)) {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY telemetry_documents (device_id, ts, metrics) FROM STDIN (FORMAT binary)",
              in,
              1 << 16);
    }
    c.commit();
    double seconds = (System.nanoTime() - start) / 1e9;
    c.setAutoCommit(true);
    return seconds;
  }

  /** Writes the load's documents to {@code file}; returns how many. */
  private long writeDocuments(Path file) throws IOException {
    long startMillis = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    long documents = (points + metrics - 1) / metrics;
    BinaryCopyDocuments rows = new BinaryCopyDocuments();
    rows.clear();
    for (long i = 0; i < documents; i++) {
      String device = String.format(Locale.ROOT, "ceiling-%05d", i % devices);
      Instant ts = Instant.ofEpochMilli(startMillis + i * 1000 / rate);
      Map<String, Double> values = new LinkedHashMap<>();
      for (int m = 0; m < metrics; m++) {
        values.put("load_" + m, (i * 31 + m) % 1000 / 10.0);
      }
      rows.add(device, ts, values);
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      rows.writeTo(out);
    }
    return documents;
  }

  private static String serverVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString("server_version");
    }
  }
}
