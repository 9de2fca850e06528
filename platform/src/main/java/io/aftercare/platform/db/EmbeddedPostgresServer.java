package io.aftercare.platform.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 15 started from the binaries on the classpath, so that the platform runs with
 * no database to install. Its data stays in the given folder across restarts.
 *
 * <p>It listens on loopback only and every connection, over TCP or the local socket, must give a
 * password (scram-sha-256). Two generated passwords live next to the data folder in files only
 * their owner can read: the superuser's ({@value #SUPERUSER_SECRET}), used only here, and that of
 * the platform's own role ({@value #OWNER_SECRET}), which owns the application database but is no
 * superuser (see {@link EmbeddedRoles}).
 *
 * <p>A supervisor restarts the postmaster on the same folder and port when it dies; the pool's
 * connections then reconnect. A postmaster orphaned by a killed JVM is stopped before starting.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  static final String SUPERUSER_SECRET = "postgres-superuser.secret";
  static final String OWNER_SECRET = "postgres-aftercare.secret";
  private static final long SUPERVISION_PERIOD_MS = 1_000;

  private static final String PG_HBA =
      """
      # Written by Aftercare at every start: passwords (scram-sha-256) for every connection.
      # TYPE  DATABASE  USER  ADDRESS       METHOD
      local   all       all                 scram-sha-256
      host    all       all   127.0.0.1/32  scram-sha-256
      host    all       all   ::1/128       scram-sha-256
      """;

  private final Path dataDirectory;
  private final String superuserSecret;
  private final String ownerSecret;
  private final int port;
  private final ScheduledExecutorService supervisor;
  private volatile EmbeddedPostgres postgres;
  private volatile ProcessHandle postmaster;
  private boolean closed;

  private EmbeddedPostgresServer(
      Path dataDirectory, String superuserSecret, String ownerSecret, EmbeddedPostgres postgres) {
    this.dataDirectory = dataDirectory;
    this.superuserSecret = superuserSecret;
    this.ownerSecret = ownerSecret;
    this.postgres = postgres;
    this.port = postgres.getPort();
    this.postmaster = runningPostmaster();
    this.supervisor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "embedded-postgres-supervisor");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts PostgreSQL on loopback with its data in {@code dataDirectory} (created, and initialised
   * with initdb, on first use) and its passwords in files beside it, then watches it.
   */
  public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
    Path secrets = secretsDirectory(dataDirectory);
    requireSuperuserSecretOfSecuredCluster(dataDirectory, secrets.resolve(SUPERUSER_SECRET));
    String superuserSecret = OwnerOnlySecret.readOrCreate(secrets.resolve(SUPERUSER_SECRET));
    String ownerSecret = OwnerOnlySecret.readOrCreate(secrets.resolve(OWNER_SECRET));
    OrphanedPostmaster.stop(dataDirectory);
    EmbeddedPostgres postgres =
        launch(dataDirectory, port, secrets.resolve(SUPERUSER_SECRET), superuserSecret);
    EmbeddedPostgresServer server =
        new EmbeddedPostgresServer(dataDirectory, superuserSecret, ownerSecret, postgres);
    try {
      server.secure();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    server.supervisor.scheduleWithFixedDelay(
        server::restartIfDead, SUPERVISION_PERIOD_MS, SUPERVISION_PERIOD_MS, TimeUnit.MILLISECONDS);
    LOG.info(
        "Embedded PostgreSQL 15 on 127.0.0.1:{}, data in {}, passwords in {} and {}. To use an"
            + " external PostgreSQL or TimescaleDB instead, set AFTERCARE_DB_URL (and"
            + " AFTERCARE_DB_USER, AFTERCARE_DB_PASSWORD).",
        server.port,
        dataDirectory.toAbsolutePath().normalize(),
        SUPERUSER_SECRET,
        OWNER_SECRET);
    return server;
  }

  /**
   * A cluster that already asks for passwords cannot be opened with a newly generated one: say so,
   * rather than let the start wait in vain for a server that refuses it.
   */
  private static void requireSuperuserSecretOfSecuredCluster(Path dataDirectory, Path secret) {
    Path hba = dataDirectory.resolve("pg_hba.conf");
    try {
      if (!Files.exists(secret)
          && Files.exists(hba)
          && Files.readAllLines(hba, StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .noneMatch(rule -> !rule.startsWith("#") && rule.contains("trust"))) {
        throw new IllegalStateException(
            secret
                + " is missing but the PostgreSQL in "
                + dataDirectory
                + " asks for its superuser's password: restore the file from the backup of the"
                + " data folder");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + hba, e);
    }
  }

  private static EmbeddedPostgres launch(
      Path dataDirectory, int port, Path superuserSecretFile, String superuserSecret) {
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
              .setServerConfig("max_connections", "100")
              // The library checks readiness as the superuser: with the password, which a
              // trusting pg_hba of an older data folder ignores.
              .setConnectConfig("password", superuserSecret)
              // The library passes these to initdb only (as --key=value after its own "-A trust"),
              // so a new cluster asks for passwords from its very first start.
              .setLocaleConfig("auth-host", "scram-sha-256")
              .setLocaleConfig("auth-local", "scram-sha-256")
              .setLocaleConfig("pwfile", superuserSecretFile.toString());
      ingestSettings(builder);
      if (port > 0) {
        builder.setPort(port);
      }
      return builder.start();
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

  /**
   * Roles, passwords and the application database, then pg_hba without {@code trust}. A data folder
   * from before passwords still trusts loopback at this point: the superuser gets its password
   * first, and only then does the new pg_hba take effect (reload).
   */
  private void secure() {
    try (Connection connection = superuser("postgres")) {
      EmbeddedRoles.secure(connection, superuserSecret, ownerSecret);
      Path hba = dataDirectory.resolve("pg_hba.conf");
      Path fresh = dataDirectory.resolve("pg_hba.conf.new");
      Files.writeString(fresh, PG_HBA, StandardCharsets.UTF_8);
      Files.move(fresh, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_reload_conf()");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set up the embedded database's roles", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pg_hba.conf in " + dataDirectory, e);
    }
    try (Connection connection = superuser(EmbeddedRoles.DATABASE)) {
      EmbeddedRoles.transferSchema(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot hand the schema to the platform's role", e);
    }
  }

  /**
   * After the migrations: the audit log passes to a role the platform cannot act as (see {@link
   * EmbeddedRoles#sealAuditLog}).
   */
  public void sealAuditLog() {
    try (Connection connection = superuser(EmbeddedRoles.DATABASE)) {
      EmbeddedRoles.sealAuditLog(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seal the audit log", e);
    }
  }

  private Connection superuser(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", EmbeddedRoles.SUPERUSER);
    properties.setProperty("password", superuserSecret);
    properties.setProperty("ApplicationName", "aftercare-embedded-setup");
    return DriverManager.getConnection(url(database), properties);
  }

  private static Path secretsDirectory(Path dataDirectory) {
    return dataDirectory.toAbsolutePath().getParent();
  }

  private Path secretsDirectory() {
    return secretsDirectory(dataDirectory);
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private ProcessHandle runningPostmaster() {
    return OrphanedPostmaster.find(dataDirectory)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no postmaster runs on " + dataDirectory + " after start"));
  }

  /** The supervisor's round: a dead postmaster is started again on the same folder and port. */
  private synchronized void restartIfDead() {
    if (closed || OrphanedPostmaster.running(postmaster)) {
      return;
    }
    LOG.error(
        "The embedded PostgreSQL (pid {}) died; starting it again on port {}",
        postmaster.pid(),
        port);
    try {
      postgres.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("Closing the dead PostgreSQL's handle failed", e);
    }
    try {
      // A postmaster from a start that gave up waiting may run: stop it. That start also left its
      // library lock held by this JVM, which would refuse every retry; no other process uses the
      // folder now, so the lock file goes (a new one is a new file to lock).
      OrphanedPostmaster.stop(dataDirectory);
      Files.deleteIfExists(dataDirectory.resolve("epg-lock"));
      postgres =
          launch(
              dataDirectory, port, secretsDirectory().resolve(SUPERUSER_SECRET), superuserSecret);
      postmaster = runningPostmaster();
      LOG.warn("The embedded PostgreSQL runs again (pid {})", postmaster.pid());
    } catch (IOException | RuntimeException e) {
      // Its dying backends may still hold shared memory for a moment: the next round retries.
      LOG.warn("The embedded PostgreSQL did not start again yet; retrying", e);
    }
  }

  /** The platform's role's connection URL. */
  public String jdbcUrl() {
    return url(EmbeddedRoles.DATABASE);
  }

  /** The platform's role: it owns the application database and is no superuser. */
  public String user() {
    return EmbeddedRoles.OWNER;
  }

  /** The platform's role's password (never logged). */
  public String password() {
    return ownerSecret;
  }

  /**
   * The platform role's password of the embedded PostgreSQL in {@code dataDirectory}, for tools
   * that read the platform's database from outside (benchmarks, tests).
   */
  public static String ownerPassword(Path dataDirectory) {
    return OwnerOnlySecret.readOrCreate(secretsDirectory(dataDirectory).resolve(OWNER_SECRET));
  }

  /**
   * The superuser's password of the embedded PostgreSQL in {@code dataDirectory}, for tools that
   * need what the platform's role may not do (a benchmark's CHECKPOINT, a test's tampering).
   */
  public static String superuserPassword(Path dataDirectory) {
    return OwnerOnlySecret.readOrCreate(secretsDirectory(dataDirectory).resolve(SUPERUSER_SECRET));
  }

  /** The superuser's name. */
  public static String superuser() {
    return EmbeddedRoles.SUPERUSER;
  }

  @Override
  public synchronized void close() {
    closed = true;
    supervisor.shutdownNow();
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
