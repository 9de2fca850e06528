package io.aftercare.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.aftercare.platform.config.AftercareConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The connection pool, with the schema migrated and TimescaleDB features applied. */
public final class Database implements AutoCloseable {

  private final HikariDataSource dataSource;
  private final boolean timescale;

  private Database(HikariDataSource dataSource, boolean timescale) {
    this.dataSource = dataSource;
    this.timescale = timescale;
  }

  /**
   * Connects, migrates the schema with Flyway and applies TimescaleDB features where the extension
   * exists. The user need not be a superuser: the owner of the schema is enough.
   */
  public static Database open(
      AftercareConfig.Database config, String url, String user, String password) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("aftercare");
    hikari.setJdbcUrl(url);
    hikari.setUsername(user);
    hikari.setPassword(password);
    hikari.setMaximumPoolSize(config.poolSize());
    // Fail fast when the database is down: callers turn that into "store unavailable".
    hikari.setConnectionTimeout(5_000);
    hikari.setInitializationFailTimeout(30_000);
    hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
    hikari.addDataSourceProperty("ApplicationName", "aftercare");
    HikariDataSource dataSource = new HikariDataSource(hikari);
    try {
      Flyway.configure().dataSource(dataSource).load().migrate();
      boolean timescale =
          new TimescaleSupport(dataSource).apply(config.compressAfter(), config.retainFor());
      return new Database(dataSource, timescale);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /**
   * A connection of its own, outside the pool, for work that holds one for good (LISTEN): the pool
   * keeps all its connections for requests. The caller closes it.
   */
  public Connection openDedicated(String applicationName) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", dataSource.getUsername());
    if (dataSource.getPassword() != null) {
      properties.setProperty("password", dataSource.getPassword());
    }
    properties.setProperty("ApplicationName", applicationName);
    return DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Whether TimescaleDB keeps telemetry's retention; without it, {@link TelemetryRetention} does.
   */
  public boolean timescale() {
    return timescale;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
