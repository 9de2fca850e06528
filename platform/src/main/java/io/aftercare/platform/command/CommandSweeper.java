package io.aftercare.platform.command;

import io.aftercare.bridge.lease.DutyLeases;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically times out commands whose result is overdue and expires those never delivered, on the
 * node holding the sweep's lease. The sweep would be safe on several nodes at once (it locks rows
 * with SKIP LOCKED); the lease spares the others the work.
 */
public final class CommandSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(CommandSweeper.class);

  private final Vertx vertx;
  private final CommandService commands;
  private final Duration interval;
  private final DutyLeases.Lease lease;
  private boolean running;

  public CommandSweeper(
      Vertx vertx, CommandService commands, Duration interval, DutyLeases leases) {
    this.vertx = vertx;
    this.commands = commands;
    this.interval = interval;
    this.lease = leases.lease("command sweep");
  }

  public void start() {
    vertx.setPeriodic(interval.toMillis(), id -> sweepOnce());
  }

  private void sweepOnce() {
    if (running || !lease.held()) {
      return; // the previous sweep is still running (don't pile up), or another node sweeps
    }
    running = true;
    commands
        .sweep()
        .onComplete(
            result -> {
              running = false;
              if (result.failed()) {
                LOG.warn("Command sweep failed: {}", result.cause().getMessage());
              }
            });
  }
}
