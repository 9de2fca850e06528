package io.aftercare.platform.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
  private static final long POLL_MS = 100;

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
        .filter(OrphanedPostmaster::running)
        .filter(
            process ->
                process
                    .info()
                    .command()
                    .map(command -> command.endsWith("postgres"))
                    .orElse(false));
  }

  /**
   * Whether the process runs. A killed postmaster whose parent does not reap it (the JVM, when it
   * is a container's first process and so inherits orphans) stays a zombie, which {@link
   * ProcessHandle#isAlive} still counts as alive; Linux's /proc tells.
   */
  static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    try {
      String line = Files.readString(stat, StandardCharsets.UTF_8);
      // "pid (command) state ...": the command may hold spaces and parentheses, so the state
      // follows the last ')'.
      return line.charAt(line.lastIndexOf(')') + 2) != 'Z';
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | IndexOutOfBoundsException e) {
      // No /proc (not Linux): trust isAlive.
      return true;
    }
  }

  /** Polls rather than {@link ProcessHandle#onExit}, which waits for a zombie for ever. */
  private static boolean awaitGone(ProcessHandle process, long seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (running(process)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted stopping PostgreSQL", e);
      }
    }
    return true;
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
              if (!awaitGone(postmaster, STOP_WAIT_SECONDS)) {
                LOG.warn("PostgreSQL pid {} ignored SIGTERM; killing it", postmaster.pid());
                postmaster.destroyForcibly();
                if (!awaitGone(postmaster, STOP_WAIT_SECONDS)) {
                  throw new IllegalStateException(
                      "PostgreSQL pid " + postmaster.pid() + " does not stop; stop it by hand");
                }
              }
            });
  }
}
