package io.aftercare.platform.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The postmaster recorded in a data folder's {@code postmaster.pid}. After the platform's JVM is
 * killed, the PostgreSQL it started keeps running and keeps that file; a new start on a fresh port
 * would then wait in vain for a server that refuses the folder. Stopping the orphan first makes the
 * next start succeed the first time.
 */
final class OrphanedPostmaster {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostmaster.class);
  private static final long STOP_WAIT_SECONDS = 60;

  private OrphanedPostmaster() {}

  /** The live postmaster of {@code dataDirectory}, if its pid file names a running postgres. */
  static Optional<ProcessHandle> find(Path dataDirectory) {
    List<String> lines;
    try {
      lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the postmaster.pid of " + dataDirectory, e);
    }
    if (lines.isEmpty() || lines.get(0).isBlank()) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    // A stale file may name a pid the system has since given to another program: only a postgres
    // process is ours to stop (PostgreSQL itself ignores a stale file whose process is gone).
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            process ->
                process
                    .info()
                    .command()
                    .map(command -> command.endsWith("postgres"))
                    .orElse(false));
  }

  /**
   * Stops the postmaster left running in {@code dataDirectory}, if any, and waits until it is gone.
   */
  static void stop(Path dataDirectory) {
    find(dataDirectory)
        .ifPresent(
            postmaster -> {
              LOG.warn(
                  "A PostgreSQL (pid {}) still runs on {}, left by an earlier run that did not stop"
                      + " it; stopping it before starting anew",
                  postmaster.pid(),
                  dataDirectory.toAbsolutePath().normalize());
              // SIGTERM: PostgreSQL's smart shutdown, which ends once the dead JVM's sessions are
              // gone (the kernel closed their sockets), checkpointing cleanly.
              postmaster.destroy();
              try {
                postmaster.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
              } catch (TimeoutException e) {
                LOG.warn("PostgreSQL pid {} ignored SIGTERM; killing it", postmaster.pid());
                postmaster.destroyForcibly();
                postmaster.onExit().join();
              } catch (ExecutionException e) {
                throw new IllegalStateException("cannot wait for PostgreSQL to stop", e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted stopping PostgreSQL", e);
              }
            });
  }
}
