package io.aftercare.platform.alarms;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.LinkChange;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.domain.Telemetry;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.PlatformHeartbeat;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.ingest.Uplink;
import io.aftercare.platform.staff.StaffPrincipal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the diagnostics engine on its own thread (the engine is single-threaded by design) and
 * persists what it decides. Inputs arrive through a bounded queue: committed telemetry and events
 * from the writer, connectivity changes, periodic ticks, staff acknowledgements. Each alarm change
 * is stored, then handed to {@link RemoteFixFirst}.
 *
 * <p>At start the engine is rebuilt from the database — open alarms as stored, plus recent history
 * replayed — so that a restart neither forgets an open fault nor raises it twice.
 */
public final class DiagnosticsRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BACKPRESSURE_WARNING_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int RESTORE_MAX_ROWS = 2_000_000;

  private sealed interface Input {}

  private record Committed(List<Uplink> uplinks) implements Input {}

  private record Connectivity(String deviceId, LinkChange change, Instant at) implements Input {}

  private record Tick(Instant now) implements Input {}

  private record Acknowledge(
      long alarmId, StaffPrincipal by, String from, CompletableFuture<Void> done)
      implements Input {}

  private final Jdbc jdbc;
  private final DiagnosticsEngine engine;
  private final DeviceProfiles profiles;
  private final RemoteFixFirst remoteFixFirst;
  private final Clock clock;
  private final Duration restoreWindow;
  private final BlockingQueue<Input> queue;
  // Inputs from event loops that found the queue full: they must not wait, and the runner takes
  // them before the queue. Connection changes and staff acknowledgements, so few.
  private final Queue<Input> overflow = new ConcurrentLinkedQueue<>();
  private final Timer backpressure;
  // As if the last warning were one interval ago, so that the first wait is reported.
  private long lastBackpressureWarning = System.nanoTime() - BACKPRESSURE_WARNING_NANOS;
  private final Thread thread;
  private volatile boolean running = true;

  public DiagnosticsRunner(
      Jdbc jdbc,
      javax.sql.DataSource dataSource,
      DiagnosticsEngine engine,
      io.aftercare.platform.command.CommandService commands,
      Clock clock,
      Duration verifyWindow,
      Duration restoreWindow,
      int queueCapacity,
      MeterRegistry meters) {
    this.jdbc = jdbc;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    Gauge.builder("aftercare.diagnostics.queue", queue, BlockingQueue::size)
        .description("Inputs waiting for the diagnostics thread")
        .register(meters);
    this.backpressure =
        Timer.builder("aftercare.diagnostics.backpressure")
            .description("Time the telemetry writer waited for a full queue")
            .register(meters);
    this.engine = engine;
    this.profiles = new DeviceProfiles(dataSource);
    this.remoteFixFirst = new RemoteFixFirst(jdbc, commands, verifyWindow);
    this.clock = clock;
    this.restoreWindow = restoreWindow;
    this.thread = new Thread(this::run, "aftercare-diagnostics");
    this.thread.setDaemon(true);
  }

  /** Rebuilds the engine's state from the database, then starts taking inputs. */
  public void start() {
    restore();
    thread.start();
  }

  private void restore() {
    Instant now = clock.instant();
    jdbc.runNow(
        c -> {
          // The platform was listening at its last heartbeat, and whenever it heard a device.
          Instant lastListened = PlatformHeartbeat.last(c).orElse(null);
          try (PreparedStatement select =
                  c.prepareStatement(
                      "SELECT id, type, model, firmware, COALESCE(last_seen_at, created_at), online"
                          + " FROM devices");
              ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              Instant lastSeen = rs.getTimestamp(5).toInstant();
              engine.trackDevice(DeviceProfiles.read(rs), lastSeen, rs.getBoolean(6));
              if (lastListened == null || lastSeen.isAfter(lastListened)) {
                lastListened = lastSeen;
              }
            }
          }
          var open = AlarmStore.openSnapshots(c);
          var history = HistoryLoader.since(c, null, now.minus(restoreWindow), RESTORE_MAX_ROWS);
          engine.restore(open, history);
          LOG.info(
              "Diagnostics restored: {} open alarms, {} history records of the last {}",
              open.size(),
              history.size(),
              restoreWindow);
          if (lastListened != null && lastListened.isBefore(now)) {
            engine.leaveOutOutage(lastListened, now);
            LOG.info(
                "Platform not listening from {} to {}: not counted as any device's silence",
                lastListened,
                now);
          }
          PlatformHeartbeat.beat(c, now);
          return null;
        },
        false);
  }

  /**
   * From the writer thread: blocks while the queue is full, slowing ingest to the engine's pace.
   */
  public void committed(List<Uplink> uplinks) {
    Input input = new Committed(uplinks);
    if (queue.offer(input)) {
      return;
    }
    long start = System.nanoTime();
    try {
      queue.put(input);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long waited = System.nanoTime() - start;
    backpressure.record(waited, TimeUnit.NANOSECONDS);
    warnOfBackpressure(start, waited);
  }

  /** From an event loop (a connection's database update completing): never blocks. */
  public void connectivityChanged(String deviceId, LinkChange change, Instant at) {
    handOver(new Connectivity(deviceId, change, at));
  }

  /** Asks for absence checks and remote-fix progress; skipped when the queue is busy. */
  public void tick() {
    queue.offer(new Tick(clock.instant()));
  }

  /** Staff acknowledge an alarm; completes once the acknowledgement is stored. */
  public CompletableFuture<Void> acknowledge(long alarmId, StaffPrincipal by, String from) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    handOver(new Acknowledge(alarmId, by, from, done));
    return done;
  }

  private void handOver(Input input) {
    if (!queue.offer(input)) {
      overflow.add(input);
    }
  }

  /**
   * At most one warning per interval: a storm of alarms would otherwise flood the log too. Only the
   * writer thread gets here, so a plain field keeps the time of the last one.
   */
  private void warnOfBackpressure(long startNanos, long waitedNanos) {
    if (startNanos - lastBackpressureWarning < BACKPRESSURE_WARNING_NANOS) {
      return;
    }
    lastBackpressureWarning = startNanos;
    LOG.warn(
        "Diagnostics is behind ({} inputs queued): ingest waited {} ms for it",
        queue.size(),
        TimeUnit.NANOSECONDS.toMillis(waitedNanos));
  }

  private void run() {
    while (running || !queue.isEmpty() || !overflow.isEmpty()) {
      Input input = overflow.poll();
      try {
        if (input == null) {
          input = queue.poll(200, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (input == null) {
        continue;
      }
      try {
        handle(input);
      } catch (RuntimeException | SQLException e) {
        LOG.error("Diagnostics could not handle {}", input.getClass().getSimpleName(), e);
        if (input instanceof Acknowledge ack) {
          ack.done().completeExceptionally(e);
        }
      }
    }
  }

  private void handle(Input input) throws SQLException {
    if (input instanceof Committed committed) {
      for (Uplink uplink : committed.uplinks()) {
        evaluate(uplink);
      }
    } else if (input instanceof Connectivity change) {
      Optional<DeviceProfile> profile = profiles.of(change.deviceId());
      if (profile.isPresent()) {
        store(engine.onConnectivity(profile.get(), change.change(), change.at()));
      }
    } else if (input instanceof Tick tick) {
      tick(tick.now());
    } else if (input instanceof Acknowledge ack) {
      acknowledge(ack);
    }
  }

  /**
   * Periodic work, which a stopping runner skips. It also stops between a tick's alarm changes: a
   * tick after a mass outage can hold thousands, each opening a ticket, and storing them all would
   * outlast the shutdown. Nothing is lost: after the restart, absence is measured again from the
   * devices' last-seen times and expired windows are found again, so the first tick makes the
   * changes left out here.
   */
  private void tick(Instant now) {
    if (!running) {
      return;
    }
    heartbeat(now);
    List<AlarmChange> changes = engine.tick(now);
    for (int i = 0; i < changes.size(); i++) {
      if (!running) {
        LOG.info(
            "Stopping: {} of this tick's {} alarm changes are left to the next start",
            changes.size() - i,
            changes.size());
        return;
      }
      store(changes.get(i));
    }
    remoteFixFirst.progress(now, engine, this::store);
  }

  private void heartbeat(Instant at) {
    jdbc.runNow(
        c -> {
          PlatformHeartbeat.beat(c, at);
          return null;
        },
        false);
  }

  private void evaluate(Uplink uplink) throws SQLException {
    Optional<DeviceProfile> profile = profiles.of(uplink.deviceId());
    if (profile.isEmpty()) {
      return;
    }
    if (uplink instanceof Uplink.TelemetryBatch batch) {
      for (Telemetry document : batch.documents()) {
        store(engine.onTelemetry(profile.get(), document));
      }
    } else if (uplink instanceof Uplink.Event event) {
      store(engine.onEvent(profile.get(), event.event()));
    }
  }

  private void store(List<AlarmChange> changes) {
    for (AlarmChange change : changes) {
      store(change);
    }
  }

  private void store(AlarmChange change) {
    String remedies = remediesJson(change);
    long alarmId = jdbc.runNow(c -> AlarmStore.apply(c, change, remedies), true);
    logLifeCycle(change, alarmId);
    remoteFixFirst.onChange(change, alarmId, clock.instant());
  }

  /** What an operator tailing the log wants to see; repeats of an open alarm are left out. */
  private static void logLifeCycle(AlarmChange change, long alarmId) {
    switch (change.type()) {
      case RAISED, ESCALATED, CLEARED ->
          LOG.info(
              "Alarm {} {}: device {} rule {} severity {} ({})",
              alarmId,
              change.type().name().toLowerCase(Locale.ROOT),
              change.deviceId(),
              change.ruleId(),
              change.alarm().severity().name().toLowerCase(Locale.ROOT),
              change.category().name().toLowerCase(Locale.ROOT));
      default -> {}
    }
  }

  private void acknowledge(Acknowledge ack) {
    Optional<AlarmStore.OpenAlarm> alarm =
        jdbc.runNow(c -> AlarmStore.findById(c, ack.alarmId()), false);
    Instant now = clock.instant();
    Optional<AlarmChange> change =
        alarm.flatMap(a -> engine.acknowledge(a.deviceId(), a.ruleId(), ack.by().name(), now));
    if (change.isEmpty()) {
      ack.done()
          .completeExceptionally(new ServiceException(Failure.CONFLICT, "the alarm is not open"));
      return;
    }
    jdbc.runNow(
        c -> {
          AlarmStore.apply(c, change.get(), remediesJson(change.get()));
          AuditLog.append(
              c,
              AuditEntry.of(
                  ack.by().name(),
                  "alarm.acknowledge",
                  "alarm/" + ack.alarmId(),
                  AuditEntry.Outcome.ALLOWED,
                  ack.from()));
          return null;
        },
        true);
    ack.done().complete(null);
  }

  private static String remediesJson(AlarmChange change) {
    try {
      return JSON.writeValueAsString(change.remedies());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
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
      heartbeat(clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("Could not record when the platform stopped listening", e);
    }
  }
}
