package io.aftercare.platform.bulk;

import io.aftercare.platform.command.Command;
import io.aftercare.platform.command.CommandRequest;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.db.JsonColumn;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits the per-device commands of bulk batches, one target at a time at a limited rate, on a
 * thread of its own. Each target is claimed ({@code FOR UPDATE SKIP LOCKED}), its command submitted
 * through {@link CommandService} and its command id (or why the device refused) recorded in one
 * transaction: a crash before the commit leaves the target undispatched and no command behind, so
 * the dispatcher of the next start resumes exactly the targets still to do, and none twice.
 */
public final class BulkDispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BulkDispatcher.class);

  /** How often an idle dispatcher looks for work it was not woken for (e.g. after a restart). */
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);

  /** A device's refusal is the target's result; anything else is retried in the next round. */
  private static final Set<Failure> REFUSALS =
      EnumSet.of(
          Failure.INVALID_INPUT,
          Failure.NOT_FOUND,
          Failure.FORBIDDEN,
          Failure.CONFLICT,
          Failure.OVERLOADED);

  private final Jdbc jdbc;
  private final CommandService commands;
  private final Clock clock;
  private final long pauseNanos;
  private final Counter submitted;
  private final Counter refused;
  private final ScheduledExecutorService thread;
  private volatile boolean closing;

  /** A target dispatched: the device woken when it got a command. */
  private record Dispatched(String deviceId, boolean commandSubmitted) {}

  public BulkDispatcher(
      Jdbc jdbc, CommandService commands, Clock clock, int ratePerSecond, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.commands = commands;
    this.clock = clock;
    this.pauseNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    this.submitted = dispatchedCounter(meters, "submitted");
    this.refused = dispatchedCounter(meters, "refused");
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "aftercare-bulk-dispatch");
              t.setDaemon(true);
              return t;
            });
  }

  private static Counter dispatchedCounter(MeterRegistry meters, String outcome) {
    return Counter.builder("aftercare.bulk.commands.dispatched")
        .description(
            "Per-device commands of bulk batches dispatched: submitted as an ordinary command, or"
                + " refused by the device (type without the command, too many open)")
        .tag("outcome", outcome)
        .register(meters);
  }

  /** Resumes what an earlier run left undispatched, then keeps looking every second. */
  public void start() {
    thread.scheduleWithFixedDelay(this::drain, 0, IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A batch was stored: start on it now rather than at the next poll. */
  void wake() {
    try {
      thread.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // Closing: the next start resumes the batch.
    }
  }

  /** Dispatches targets at the configured rate until none is left. */
  private void drain() {
    try {
      while (!closing && dispatchOne()) {
        LockSupport.parkNanos(pauseNanos);
      }
    } catch (RuntimeException e) {
      LOG.warn("Bulk command dispatch failed; retrying in {}", IDLE_POLL, e);
    }
  }

  /** Dispatches the next undispatched target, if any; false when there was none. */
  boolean dispatchOne() {
    Optional<Dispatched> dispatched = jdbc.runNow(this::dispatchNext, true);
    dispatched.ifPresent(
        target -> {
          if (target.commandSubmitted()) {
            submitted.increment();
            commands.wake(target.deviceId());
          } else {
            refused.increment();
          }
        });
    return dispatched.isPresent();
  }

  private Optional<Dispatched> dispatchNext(Connection c) throws SQLException {
    Optional<BulkCommandStore.Claim> next = BulkCommandStore.claimNext(c);
    if (next.isEmpty()) {
      return Optional.empty();
    }
    BulkCommandStore.Claim claim = next.get();
    CommandRequest request =
        new CommandRequest(
            claim.command(), JsonColumn.read(claim.paramsJson()), claim.ttlSeconds());
    Savepoint beforeCommand = c.setSavepoint();
    String commandId = null;
    String error = null;
    try {
      Command command =
          commands.submitForBatch(
              c,
              claim.deviceId(),
              request,
              claim.by(),
              claim.from(),
              // Ties the command to its batch, and would return it rather than a second one.
              "bulk:" + claim.batchId() + ":" + claim.deviceId());
      commandId = command.id();
    } catch (ServiceException e) {
      if (!REFUSALS.contains(e.failure())) {
        throw e;
      }
      c.rollback(beforeCommand);
      error = e.getMessage();
    }
    BulkCommandStore.dispatched(c, claim, commandId, error, clock.instant());
    return Optional.of(new Dispatched(claim.deviceId(), commandId != null));
  }

  /** Lets the target under way commit, then stops; the rest waits for the next start. */
  @Override
  public void close() {
    closing = true;
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Bulk command dispatch did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
