package io.aftercare.platform.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the telemetry table into a TimescaleDB hypertable with compression and retention when the
 * extension is available; otherwise says once that those features are off. The schema itself
 * (migrations) is plain PostgreSQL and works either way.
 */
final class TimescaleSupport {

  private static final Logger LOG = LoggerFactory.getLogger(TimescaleSupport.class);

  private final DataSource dataSource;

  TimescaleSupport(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Returns whether TimescaleDB is there (and keeps telemetry's retention itself). */
  boolean apply(Duration compressAfter, Duration retainFor) {
    try (Connection connection = dataSource.getConnection()) {
      if (!installExtension(connection)) {
        LOG.info(
            "TimescaleDB is not available on this database: telemetry is a plain table with a"
                + " BRIN index on time, not compressed; TelemetryRetention keeps its retention.");
        return false;
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "SELECT create_hypertable('telemetry_documents', by_range('ts', INTERVAL '1 day'),"
                + " if_not_exists => TRUE, migrate_data => TRUE)");
        statement.execute(
            "ALTER TABLE telemetry_documents SET (timescaledb.compress,"
                + " timescaledb.compress_segmentby = 'device_id',"
                + " timescaledb.compress_orderby = 'ts')");
        // Policies are replaced rather than kept, so that a changed setting takes effect.
        statement.execute(
            "SELECT remove_compression_policy('telemetry_documents', if_exists => TRUE)");
        statement.execute(
            "SELECT remove_retention_policy('telemetry_documents', if_exists => TRUE)");
      }
      addPolicy(connection, "add_compression_policy", compressAfter);
      if (!retainFor.isZero()) {
        addPolicy(connection, "add_retention_policy", retainFor);
      }
      LOG.info(
          "TimescaleDB: telemetry is a hypertable, compressed after {}, kept for {}.",
          compressAfter,
          retainFor.isZero() ? "ever" : retainFor);
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot apply TimescaleDB features", e);
    }
  }

  private static boolean installExtension(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet extension =
            statement.executeQuery(
                "SELECT installed_version IS NOT NULL AS installed,"
                    + " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser"
                    + " FROM pg_available_extensions WHERE name = 'timescaledb'")) {
      if (!extension.next()) {
        return false;
      }
      if (extension.getBoolean("installed")) {
        return true;
      }
      if (!extension.getBoolean("superuser")) {
        // TimescaleDB is not a trusted extension: only a superuser can create it, and the
        // platform's role should not be one (docs/operations.md).
        LOG.warn(
            "TimescaleDB is available but not installed in this database, and the platform's role"
                + " may not install it: run CREATE EXTENSION timescaledb as a superuser once.");
        return false;
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
      return true;
    }
  }

  private static void addPolicy(Connection connection, String function, Duration after)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT " + function + "('telemetry_documents', make_interval(secs => ?))")) {
      statement.setDouble(1, after.toSeconds());
      statement.execute();
    }
  }
}
