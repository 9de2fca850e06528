package io.aftercare.platform.testing;

import io.aftercare.platform.db.EmbeddedPostgresServer;
import io.aftercare.testsupport.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded PostgreSQL of a platform data folder, seen the way a local user (or attacker) sees
 * it: the pid and port in {@code postmaster.pid}, the password files beside it.
 */
public final class EmbeddedDatabaseFolder {

  private final Path platformDataDir;

  public EmbeddedDatabaseFolder(Path platformDataDir) {
    this.platformDataDir = platformDataDir;
  }

  /** The PostgreSQL data folder. */
  public Path postgresDir() {
    return platformDataDir.resolve("postgres");
  }

  /** The postmaster's pid, as it wrote it. */
  public long postmasterPid() {
    return Long.parseLong(pidFile().get(0).trim());
  }

  /** The port it listens on, as it wrote it. */
  public int port() {
    return Integer.parseInt(pidFile().get(3).trim());
  }

  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/aftercare";
  }

  /** The superuser, with its password from the owner-only file. */
  public TestDatabases.TestDatabase superuser() {
    return new TestDatabases.TestDatabase(
        url(),
        EmbeddedPostgresServer.superuser(),
        EmbeddedPostgresServer.superuserPassword(postgresDir()));
  }

  /** The platform's own role. */
  public TestDatabases.TestDatabase owner() {
    return new TestDatabases.TestDatabase(
        url(), "aftercare", EmbeddedPostgresServer.ownerPassword(postgresDir()));
  }

  /** SIGKILL to the postmaster, and waits until it is gone. */
  public void killPostmaster() {
    ProcessHandle postmaster =
        ProcessHandle.of(postmasterPid()).orElseThrow(() -> new IllegalStateException("no pid"));
    postmaster.destroyForcibly();
    postmaster.onExit().join();
  }

  private List<String> pidFile() {
    try {
      return Files.readAllLines(postgresDir().resolve("postmaster.pid"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
