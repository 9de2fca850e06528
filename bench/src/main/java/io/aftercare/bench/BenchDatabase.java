package io.aftercare.bench;

import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.db.Database;
import io.aftercare.platform.db.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The database the benchmark loads and the platform then serves: an external PostgreSQL or
 * TimescaleDB given by URL, or the embedded PostgreSQL the platform itself would start in {@code
 * <data-dir>/postgres}. Opening it migrates the schema exactly as the platform does (Flyway, then
 * the hypertable where TimescaleDB is installed).
 */
final class BenchDatabase implements AutoCloseable {

  private final EmbeddedPostgresServer embedded;
  private final String url;
  private final String user;
  private final String password;
  private final boolean timescale;

  private BenchDatabase(EmbeddedPostgresServer embedded, String url, String user, String password) {
    this.embedded = embedded;
    this.url = url;
    this.user = user;
    this.password = password;
    try (Database schema =
        Database.open(
            new AftercareConfig.Database(
                url,
                user,
                password,
                2,
                0,
                Duration.ofDays(7),
                Duration.ofDays(365),
                Duration.ofSeconds(5),
                Duration.ofDays(90),
                Duration.ofDays(90)),
            url,
            user,
            password)) {
      this.timescale = schema.timescale();
    }
  }

  static BenchDatabase external(String url, String user, String password) {
    return new BenchDatabase(null, url, user, password);
  }

  static BenchDatabase embedded(Path dataDir) {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0);
    try {
      return new BenchDatabase(server, server.jdbcUrl(), server.user(), server.password());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  boolean timescale() {
    return timescale;
  }

  boolean isEmbedded() {
    return embedded != null;
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
