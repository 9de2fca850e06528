package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.LinkChange;
import io.aftercare.platform.command.CommandFinished;
import io.aftercare.platform.ingest.Uplink;
import io.aftercare.platform.remediation.AlarmDecisions;
import io.aftercare.platform.staff.StaffPrincipal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the diagnostics engine on its own thread (the engine is single-threaded by design). Inputs
 * arrive through the {@link DiagnosticsInbox}: committed telemetry and events from the writer,
 * connectivity changes, periodic ticks, staff acknowledgements, and the final status of remedy
 * commands, which the command service pushes here. {@link DiagnosticsHandlers} stores what the
 * engine decides.
 *
 * <p>Nothing of the fleet is restored at start: each device's state is rebuilt from the database
 * when its first input reaches this node ({@link HeldDevices}). At start only the decisions an
 * earlier run never took are taken ({@link AlarmDecisions#sweep}), on the runner's thread before
 * any input, so the platform starts listening without waiting; inputs that arrive meanwhile wait in
 * the inbox (the writer, when it is full, waits too).
 */
public final class DiagnosticsRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsRunner.class);

  private final DiagnosticsInbox inbox;
  private final AlarmDecisions decisions;
  private final DiagnosticsHandlers handlers;
  private final Clock clock;
  private final Thread thread;
  private final HeldDevices held;
  private volatile boolean running = true;

  public DiagnosticsRunner(
      DiagnosticsInbox inbox, AlarmDecisions decisions, DiagnosticsHandlers handlers, Clock clock) {
    this.inbox = inbox;
    this.decisions = decisions;
    this.handlers = handlers;
    this.held = handlers.held();
    this.clock = clock;
    this.thread = new Thread(this::run, "aftercare-diagnostics");
    this.thread.setDaemon(true);
  }

  /**
   * Notes when the platform last listened, then starts the thread that takes the decisions left
   * over and then takes inputs. Call it before the telemetry writer starts.
   */
  public void start() {
    handlers.start();
    thread.start();
  }

  /**
   * From the writer thread: blocks while the queue is full, slowing ingest to the engine's pace.
   */
  public void committed(List<Uplink> uplinks) {
    held.arrived(uplinks);
    inbox.put(new DiagnosticsInbox.Committed(uplinks));
  }

  /** From an event loop (a connection's database update completing): never blocks. */
  public void connectivityChanged(String deviceId, LinkChange change, Instant at) {
    // Going offline is no arrival: a node not holding the device leaves it to the history.
    if (change.online()) {
      held.connected(deviceId, at);
    }
    inbox.handOver(new DiagnosticsInbox.Connectivity(deviceId, change, at));
  }

  /** A command reached a final status (after its commit); only remedies matter here. */
  public void commandFinished(CommandFinished command) {
    if (command.requestedBy().equals(SystemActor.DIAGNOSTICS.name())) {
      inbox.handOver(new DiagnosticsInbox.CommandEnded(command));
    }
  }

  /** Asks for absence checks and verification deadlines; skipped when the queue is busy. */
  public void tick() {
    inbox.offer(new DiagnosticsInbox.Tick(clock.instant()));
  }

  /**
   * Staff acknowledge alarms ({@code bulk}: several at once, audited as one entry); completes with
   * each alarm's outcome once the acknowledgements are stored, in one transaction.
   */
  public CompletableFuture<Map<Long, AckOutcome>> acknowledge(
      List<Long> alarmIds, StaffPrincipal by, String from, String note, boolean bulk) {
    CompletableFuture<Map<Long, AckOutcome>> done = new CompletableFuture<>();
    inbox.handOver(new DiagnosticsInbox.Acknowledge(alarmIds, by, from, note, bulk, done));
    return done;
  }

  private void run() {
    try {
      decisions.sweep();
    } catch (RuntimeException e) {
      // Inputs are still handled: a stalled engine would hold back ingest for good.
      LOG.error("Diagnostics could not take the decisions left over; going on without them", e);
    }
    while (running || !inbox.isEmpty()) {
      DiagnosticsInbox.Input input;
      try {
        input = inbox.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (input == null) {
        continue;
      }
      try {
        handlers.handle(input, () -> running);
      } catch (RuntimeException | SQLException e) {
        LOG.error("Diagnostics could not handle {}", input.getClass().getSimpleName(), e);
        if (input instanceof DiagnosticsInbox.Acknowledge ack) {
          ack.done().completeExceptionally(e);
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The servers have stopped by now: this is when the platform stopped listening.
    try {
      handlers.heartbeat(clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("Could not record when the platform stopped listening", e);
    }
  }
}
