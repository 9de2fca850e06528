package io.aftercare.platform.testing;

import io.aftercare.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An outage of an external test database as the platform sees a restart of its server: every open
 * connection is ended and new ones are refused until {@link #end}. Only the test's own database is
 * affected, so other tests sharing the server go on.
 */
public final class DatabaseOutage {

  private final TestDatabases.TestDatabase database;
  private final String name;

  private DatabaseOutage(TestDatabases.TestDatabase database) {
    this.database = database;
    String path = database.url().replaceFirst("\\?.*$", "");
    this.name = path.substring(path.lastIndexOf('/') + 1);
  }

  /** Refuses new connections to {@code database}, then ends the open ones. */
  public static DatabaseOutage begin(TestDatabases.TestDatabase database) throws SQLException {
    DatabaseOutage outage = new DatabaseOutage(database);
    outage.administer("ALTER DATABASE " + outage.name + " ALLOW_CONNECTIONS false");
    outage.administer(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
            + outage.name
            + "'");
    return outage;
  }

  /** Takes connections again. */
  public void end() throws SQLException {
    administer("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  }

  /** Runs {@code sql} connected to the server's {@code postgres} database, not the test's. */
  private void administer(String sql) throws SQLException {
    String url = database.url().replaceFirst("/[^/?]*(\\?|$)", "/postgres$1");
    try (Connection connection =
            DriverManager.getConnection(url, database.user(), database.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
