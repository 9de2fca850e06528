package io.aftercare.platform.command;

import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically times out commands whose result is overdue and expires those never delivered. Safe
 * to run on several gateways at once: the sweep locks rows with SKIP LOCKED.
 */
public final class CommandSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(CommandSweeper.class);

  private final Vertx vertx;
  private final CommandService commands;
  private final Duration interval;
  private boolean running;

  public CommandSweeper(Vertx vertx, CommandService commands, Duration interval) {
    this.vertx = vertx;
    this.commands = commands;
    this.interval = interval;
  }

  public void start() {
    vertx.setPeriodic(interval.toMillis(), id -> sweepOnce());
  }

  private void sweepOnce() {
    if (running) {
      return; // the previous sweep is still running: skip, don't pile up
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
