package io.aftercare.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Real PostgreSQL servers for tests, and a fresh database on them for each test class, so that
 * tests never see each other's data. Each module's tests get the schema from the production
 * migrations on their own classpath (see {@link #migrated(String...)}).
 *
 * <ul>
 *   <li>{@code AFTERCARE_TEST_DB_URL} (with {@code AFTERCARE_TEST_DB_USER}, {@code
 *       AFTERCARE_TEST_DB_PASSWORD}): any PostgreSQL or TimescaleDB the user may create databases
 *       on;
 *   <li>{@code -Ptimescale} (system property {@code aftercare.test.timescale}): the
 *       timescale/timescaledb image through Testcontainers, skipped when there is no Docker;
 *   <li>otherwise one embedded PostgreSQL 15 per test JVM.
 * </ul>
 */
public final class TestDatabases {

  /** Connection settings of one test database. */
  public record TestDatabase(String url, String user, String password) {
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }
  }

  private record Server(String adminUrl, String user, String password) {}

  private static Server server;

  private TestDatabases() {}

  /** A new, empty database, for tests that start something which migrates it (the platform). */
  public static synchronized TestDatabase fresh() {
    Server s = server();
    String name = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(s.adminUrl(), s.user(), s.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database", e);
    }
    String url = s.adminUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    return new TestDatabase(url, s.user(), s.password());
  }

  /**
   * A new database migrated by Flyway from {@code classpath:db/migration}, the location the
   * platform migrates at start-up, and from {@code extraLocations}. Every module keeps its
   * migrations in {@code db/migration}, so the schema is that of the modules on the test's
   * classpath: the ticket bridge's own tables in the bridge's tests, the whole schema in the
   * platform's. The extra locations hold what a module's tests need of another module's tables.
   *
   * @param extraLocations Flyway locations such as {@code classpath:db/platform-devices}
   */
  public static TestDatabase migrated(String... extraLocations) {
    TestDatabase database = fresh();
    String[] locations = new String[extraLocations.length + 1];
    locations[0] = "classpath:db/migration";
    System.arraycopy(extraLocations, 0, locations, 1, extraLocations.length);
    Flyway.configure()
        .dataSource(database.url(), database.user(), database.password())
        .locations(locations)
        .load()
        .migrate();
    return database;
  }

  private static Server server() {
    if (server != null) {
      return server;
    }
    String external = System.getenv("AFTERCARE_TEST_DB_URL");
    if (external != null && !external.isBlank()) {
      server =
          new Server(
              external,
              System.getenv().getOrDefault("AFTERCARE_TEST_DB_USER", "postgres"),
              System.getenv().getOrDefault("AFTERCARE_TEST_DB_PASSWORD", ""));
    } else if (Boolean.getBoolean("aftercare.test.timescale")) {
      server = timescaleContainer();
    } else {
      server = embedded();
    }
    return server;
  }

  private static Server timescaleContainer() {
    Assumptions.assumeTrue(
        DockerClientFactory.instance().isDockerAvailable(),
        "No Docker engine: the TimescaleDB test profile is skipped (the default profile runs the"
            + " same suite on embedded PostgreSQL)");
    PostgreSQLContainer container =
        new PostgreSQLContainer(
            DockerImageName.parse("timescale/timescaledb:latest-pg16")
                .asCompatibleSubstituteFor("postgres"));
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
    return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
  }

  private static Server embedded() {
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(Files.createTempDirectory("aftercare-test-pg"))
              .setCleanDataDirectory(true)
              .setServerConfig("max_connections", "300")
              // Tests need durability semantics, not crash safety of the throwaway cluster.
              .setServerConfig("fsync", "off")
              .start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException ignored) {
                      // The JVM is exiting.
                    }
                  }));
      return new Server(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded test PostgreSQL", e);
    }
  }
}
