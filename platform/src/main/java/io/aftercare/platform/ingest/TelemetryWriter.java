package io.aftercare.platform.ingest;

import io.aftercare.domain.DeviceEvent;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.DeviceFirmware;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes device data to the database.
 *
 * <p>Channels hand it validated {@link Uplink}s with a completion callback; it takes whatever is
 * queued (up to a batch limit), writes it in one transaction and only then completes each callback,
 * which is when a channel acknowledges the device. Batches form by themselves: under load more
 * arrives during each commit, so the next batch is bigger (group commit), and an idle system writes
 * each message at once.
 *
 * <p>Telemetry goes by binary COPY straight into {@code telemetry_documents}, one row per document,
 * the fastest way in. The primary key (device, instant) still refuses a document stored before (a
 * redelivery): that transaction is rolled back and the batch goes by COPY into a session-private
 * staging table, then {@code INSERT ... SELECT ... ON CONFLICT DO UPDATE}, which adds only metrics
 * not stored yet; so do the batches of the following seconds ({@link RedeliveryFallback}). Either
 * way each point is stored once and every message of the batch is acknowledged, except one giving a
 * stored metric another value for its instant: that one is refused, since acknowledging it would
 * drop the value. The queue is bounded by points, so memory is too, and each device's share of it
 * is counted ({@link #queuedPoints}) so that the door can refuse a device holding too much of it.
 *
 * <p>A batch the database refuses for another reason than being unavailable is split in halves and
 * each half written again, down to the one uplink at fault: one bad row costs a few extra
 * transactions, not one transaction per message of the whole backlog.
 */
public final class TelemetryWriter implements AutoCloseable {

  /** Called once per offered uplink: with {@code null} after commit, or with the failure. */
  public interface Completion extends Consumer<ServiceException> {}

  /**
   * Told, on the writer thread, what each transaction committed, in commit order: how the stream
   * reaches its consumers (the diagnostics engine) only once it is durable. A slow listener slows
   * the writer, which is the back-pressure the consumers need.
   */
  public interface CommitListener {
    void committed(List<Uplink> uplinks);
  }

  /**
   * @param deviceQueued the device's count of queued points this write added its weight to, and
   *     takes it from again when it completes
   */
  private record PendingWrite(
      Uplink uplink, int weight, Completion completion, AtomicInteger deviceQueued) {}

  private static final Logger LOG = LoggerFactory.getLogger(TelemetryWriter.class);
  private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
  private static final String UNIQUE_VIOLATION = "23505";

  /** The writer's {@code application_name}, as {@code pg_stat_activity} shows it. */
  public static final String APPLICATION_NAME = "aftercare-telemetry-writer";

  /** How long past the statement time-out an unanswered socket read is given up. */
  private static final Duration NETWORK_GRACE = Duration.ofSeconds(5);

  /** A batch slower than this is logged: acknowledgements wait for it. */
  private static final Duration SLOW_BATCH = Duration.ofMillis(500);

  private final DataSource dataSource;
  private final int capacity;
  private final int maxBatch;
  private final Duration writeTimeout;
  private final LinkedBlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedWeight = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> queuedByDevice = new ConcurrentHashMap<>();

  /** When the running batch was taken off the queue ({@link System#nanoTime}); 0 when idle. */
  private volatile long batchStartedAt;

  private final ConcurrentLinkedQueue<Runnable> capacityWaiters = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean storeAvailable = true;
  private final List<CommitListener> commitListeners = new CopyOnWriteArrayList<>();
  private Connection connection;
  private final DocumentBatch documents = new DocumentBatch();
  private final BinaryCopyDocuments rows = new BinaryCopyDocuments();
  private final RedeliveryFallback redeliveries;
  private final LastSeenThrottle lastSeen;

  private final Counter pointsWritten;
  private final Counter pointsDuplicate;
  private final Counter stagedBatches;
  private final Counter eventsWritten;
  private final Counter contradictions;
  private final DistributionSummary batchRows;
  private final Timer batchTime;
  private final Timer commitTime;

  public TelemetryWriter(
      DataSource dataSource, AftercareConfig.Ingest config, MeterRegistry meters) {
    this.dataSource = dataSource;
    this.capacity = config.queueCapacity();
    this.maxBatch = config.maxBatchPoints();
    this.writeTimeout = config.writeTimeout();
    this.redeliveries = new RedeliveryFallback(config.redeliveryFallback(), System::nanoTime);
    this.lastSeen = new LastSeenThrottle(config.lastSeenInterval());
    this.pointsWritten =
        Counter.builder("aftercare.ingest.points.written")
            .description("Telemetry points committed to the store")
            .register(meters);
    this.pointsDuplicate =
        Counter.builder("aftercare.ingest.points.duplicate")
            .description("Telemetry points already stored (a redelivery), skipped")
            .register(meters);
    this.stagedBatches =
        Counter.builder("aftercare.ingest.batches.staged")
            .description(
                "Batches merged through a staging table because they may hold redeliveries")
            .register(meters);
    this.eventsWritten =
        Counter.builder("aftercare.ingest.events.written")
            .description("Device events committed to the store")
            .register(meters);
    this.contradictions =
        Counter.builder("aftercare.ingest.messages.contradicting")
            .description(
                "Telemetry messages refused because a document gave a metric another value than"
                    + " the one stored or sent for the same instant")
            .register(meters);
    this.batchRows =
        DistributionSummary.builder("aftercare.ingest.batch.rows")
            .description("Rows per committed write batch")
            .register(meters);
    // Histograms, not just sums: a device waits for the batch its message is in, so the tail of
    // these is the tail of acknowledgement latency (and of the disk's flush time).
    this.batchTime =
        Timer.builder("aftercare.ingest.batch.duration")
            .description("Time to write one batch, from taking it off the queue to commit")
            .publishPercentileHistogram()
            .register(meters);
    this.commitTime =
        Timer.builder("aftercare.ingest.commit.duration")
            .description("Time of the database commit of one batch")
            .publishPercentileHistogram()
            .register(meters);
    Gauge.builder("aftercare.ingest.queue.rows", queuedWeight, AtomicInteger::get)
        .description("Rows queued for the telemetry writer")
        .register(meters);
    this.thread = new Thread(this::run, "aftercare-telemetry-writer");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /**
   * Adds a listener told of every commit, after those added before; add them before devices
   * connect.
   */
  public void onCommit(CommitListener listener) {
    commitListeners.add(listener);
  }

  /**
   * Queues an uplink. Fails at once, without queueing, with {@link Failure#OVERLOADED} when the
   * queue is full or {@link Failure#STORE_UNAVAILABLE} while the database is unreachable.
   */
  public void offer(Uplink uplink, Completion completion) {
    if (!running || !storeAvailable) {
      completion.accept(storeUnavailable());
      return;
    }
    int weight = uplink.weight();
    if (queuedWeight.addAndGet(weight) > capacity && weight < capacity) {
      queuedWeight.addAndGet(-weight);
      completion.accept(new ServiceException(Failure.OVERLOADED, "write queue full, retry later"));
      return;
    }
    AtomicInteger deviceQueued = queuedByDevice.get(uplink.deviceId());
    if (deviceQueued == null) {
      deviceQueued = queuedByDevice.computeIfAbsent(uplink.deviceId(), id -> new AtomicInteger());
    }
    deviceQueued.addAndGet(weight);
    queue.add(new PendingWrite(uplink, weight, completion, deviceQueued));
  }

  /** Points of this device queued or being written. */
  public int queuedPoints(String deviceId) {
    AtomicInteger queued = queuedByDevice.get(deviceId);
    return queued == null ? 0 : queued.get();
  }

  /**
   * Why the writer is stuck, if the batch it is writing has taken longer than the write time-out:
   * the database neither committed nor failed it (a stopped or hung server), so nothing is being
   * acknowledged.
   */
  public Optional<String> stall() {
    long started = batchStartedAt;
    if (started == 0) {
      return Optional.empty();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    if (millis <= writeTimeout.toMillis()) {
      return Optional.empty();
    }
    return Optional.of(
        "a write batch has been running for "
            + millis
            + " ms, longer than ingest.writeTimeout ("
            + writeTimeout.toMillis()
            + " ms); nothing is being acknowledged");
  }

  /** Runs {@code waiter} once the queue is at most half full (at once if it already is). */
  public void whenWritable(Runnable waiter) {
    capacityWaiters.add(waiter);
    releaseWaitersIfWritable();
  }

  public boolean storeAvailable() {
    return storeAvailable;
  }

  public int queuedRows() {
    return queuedWeight.get();
  }

  private void run() {
    List<PendingWrite> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        if (!storeAvailable) {
          probeStore();
          continue;
        }
        PendingWrite first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        int rows = first.weight();
        PendingWrite next;
        while (rows < maxBatch && (next = queue.poll()) != null) {
          batch.add(next);
          rows += next.weight();
        }
        batchStartedAt = System.nanoTime();
        writeAndComplete(batch, rows);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("Telemetry writer failed unexpectedly; the batch is failed, not acknowledged", e);
        completeAll(batch, ServiceException.of(e));
      } finally {
        batchStartedAt = 0;
        batch.clear();
        releaseWaitersIfWritable();
      }
    }
    failQueued(storeUnavailable());
    closeConnection();
  }

  private void writeAndComplete(List<PendingWrite> batch, int rows) {
    Timer.Sample sample = Timer.start();
    // Uplinks that must wait for this batch's commit to be judged against it (see write).
    List<PendingWrite> deferred = new ArrayList<>();
    try {
      long commitNanos = write(batch, deferred);
      long nanos = sample.stop(batchTime);
      if (nanos > SLOW_BATCH.toNanos()) {
        LOG.warn(
            "Slow write: {} points took {} ms, of which {} ms waiting for the commit to be durable"
                + " (disk flush); acknowledgements waited as long",
            rows,
            TimeUnit.NANOSECONDS.toMillis(nanos),
            TimeUnit.NANOSECONDS.toMillis(commitNanos));
      }
      batchRows.record(rows);
      completeAll(batch, null);
      notifyCommitted(batch);
    } catch (SQLException e) {
      closeConnection();
      ServiceException failure = Jdbc.translate(e);
      if (failure.failure() == Failure.STORE_UNAVAILABLE) {
        LOG.warn(
            "Database unavailable ({}); refusing writes until it answers again", e.getMessage());
        storeAvailable = false;
        completeAll(batch, storeUnavailable());
        failQueued(storeUnavailable());
      } else if (batch.size() > 1) {
        // One bad row must not fail its neighbours: halve the batch until it is isolated.
        LOG.debug("Batch of {} uplinks refused ({}); splitting it", batch.size(), e.getMessage());
        int half = batch.size() / 2;
        List<PendingWrite> first = new ArrayList<>(batch.subList(0, half));
        List<PendingWrite> second = new ArrayList<>(batch.subList(half, batch.size()));
        writeAndComplete(first, weight(first));
        if (storeAvailable) {
          writeAndComplete(second, weight(second));
        } else {
          completeAll(second, storeUnavailable());
        }
      } else {
        LOG.warn(
            "Write refused by the database for device {}: {}",
            batch.get(0).uplink().deviceId(),
            e.getMessage());
        completeAll(
            batch, new ServiceException(Failure.INTERNAL, "could not store the document", e));
      }
    }
    if (deferred.isEmpty()) {
      return;
    }
    if (storeAvailable) {
      writeAndComplete(deferred, weight(deferred));
    } else {
      completeAll(deferred, storeUnavailable());
    }
  }

  private static int weight(List<PendingWrite> writes) {
    int weight = 0;
    for (PendingWrite write : writes) {
      weight += write.weight();
    }
    return weight;
  }

  private void notifyCommitted(List<PendingWrite> batch) {
    List<Uplink> committed = new ArrayList<>(batch.size());
    for (PendingWrite pending : batch) {
      committed.add(pending.uplink());
    }
    for (CommitListener listener : commitListeners) {
      try {
        listener.committed(committed);
      } catch (RuntimeException e) {
        LOG.error("Commit listener {} failed; the data is stored, its use skipped", listener, e);
      }
    }
  }

  /**
   * Writes the batch in one transaction; returns how long its commit took. {@code batch} must be
   * mutable: uplinks whose documents contradict each other or one stored before are refused and
   * taken out, and the rest is written without them. From the first uplink contradicting an earlier
   * one of the batch on, uplinks move to {@code deferred}, to be written after this commit: whether
   * that one or the earlier is refused depends on what the earlier turns out to store.
   */
  private long write(List<PendingWrite> batch, List<PendingWrite> deferred) throws SQLException {
    Connection c = connection();
    List<DeviceEvent> events = new ArrayList<>();
    Set<String> devices = new HashSet<>();
    documents.clear();
    for (ListIterator<PendingWrite> it = batch.listIterator(); it.hasNext(); ) {
      PendingWrite pending = it.next();
      if (pending.uplink() instanceof Uplink.TelemetryBatch telemetry) {
        DocumentBatch.Added added = documents.add(telemetry);
        if (added == DocumentBatch.Added.CONTRADICTS_ITSELF) {
          it.remove();
          refuseContradiction(pending);
          continue;
        }
        if (added == DocumentBatch.Added.CONTRADICTS_BATCH) {
          List<PendingWrite> tail = batch.subList(it.previousIndex(), batch.size());
          deferred.addAll(tail);
          tail.clear();
          break;
        }
      }
      devices.add(pending.uplink().deviceId());
      if (pending.uplink() instanceof Uplink.Event event) {
        events.add(event.event());
      }
    }
    rows.clear();
    documents.encodeInto(rows);
    List<String> seen = lastSeen.due(devices, System.nanoTime());
    boolean staged = redeliveries.active();
    long commitNanos;
    try {
      commitNanos = writeTransaction(c, events, seen, staged);
    } catch (SQLException e) {
      if (staged || !UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      // A document of this batch is already stored: write the batch again, tolerating it.
      redeliveries.conflictSeen();
      try {
        commitNanos = writeTransaction(c, events, seen, true);
      } catch (StoredContradiction contradiction) {
        return withoutContradictions(batch, deferred, contradiction);
      }
    } catch (StoredContradiction contradiction) {
      return withoutContradictions(batch, deferred, contradiction);
    }
    lastSeen.written(seen, System.nanoTime());
    pointsDuplicate.increment(documents.offeredPoints() - rows.points());
    return commitNanos;
  }

  /** Refuses the uplinks holding a contradicted document, then writes the others. */
  private long withoutContradictions(
      List<PendingWrite> batch, List<PendingWrite> deferred, StoredContradiction contradiction)
      throws SQLException {
    for (Iterator<PendingWrite> it = batch.iterator(); it.hasNext(); ) {
      PendingWrite pending = it.next();
      if (pending.uplink() instanceof Uplink.TelemetryBatch telemetry
          && DocumentBatch.hasAnyKey(telemetry, contradiction.keys)) {
        it.remove();
        refuseContradiction(pending);
      }
    }
    return batch.isEmpty() ? 0 : write(batch, deferred);
  }

  /**
   * Acknowledging a document whose metric contradicts the value kept for its instant would drop
   * that value after saying it was stored; the device is told instead (MQTT 5 0x99, CoAP 4.00).
   */
  private void refuseContradiction(PendingWrite pending) {
    contradictions.increment();
    completeAll(
        List.of(pending),
        new ServiceException(
            Failure.INVALID_INPUT,
            "a document gives a metric another value than the one stored (or sent) for its"
                + " ts; nothing of this message was stored"));
  }

  /** Documents of the staged batch whose metrics contradict the stored document of their key. */
  private static final class StoredContradiction extends RuntimeException {
    private final Set<DocumentBatch.Key> keys;

    StoredContradiction(Set<DocumentBatch.Key> keys) {
      super("documents contradict stored ones", null, false, false);
      this.keys = keys;
    }
  }

  /** Returns how long the commit took: the wait for the disk to make it durable. */
  private long writeTransaction(
      Connection c, List<DeviceEvent> events, List<String> seen, boolean staged)
      throws SQLException {
    try {
      if (rows.rows() > 0) {
        if (staged) {
          copyThroughStaging(c);
        } else {
          copyDirect(c);
        }
      }
      if (!events.isEmpty()) {
        insertEvents(c, events);
        DeviceFirmware.fromEvents(c, events);
      }
      if (!seen.isEmpty()) {
        touchDevices(c, seen);
      }
      long start = System.nanoTime();
      c.commit();
      long commitNanos = System.nanoTime() - start;
      commitTime.record(commitNanos, TimeUnit.NANOSECONDS);
      return commitNanos;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
  }

  private void copyDirect(Connection c) throws SQLException {
    copy(c, "COPY telemetry_documents (device_id, ts, metrics) FROM STDIN (FORMAT binary)");
    pointsWritten.increment(rows.points());
  }

  /**
   * Stores the staged documents, adding to a stored document only the metrics it lacks: a
   * redelivered document leaves its row untouched, and a stored metric keeps its first value.
   */
  private void copyThroughStaging(Connection c) throws SQLException {
    copy(c, "COPY telemetry_staging (device_id, ts, metrics) FROM STDIN (FORMAT binary)");
    try (Statement move = c.createStatement()) {
      Set<DocumentBatch.Key> contradicted = new HashSet<>();
      try (ResultSet rs =
          move.executeQuery(
              "SELECT s.device_id, s.ts FROM telemetry_staging s"
                  + " JOIN telemetry_documents t USING (device_id, ts)"
                  + " WHERE EXISTS (SELECT 1 FROM jsonb_each(s.metrics) AS m (name, value)"
                  + " WHERE t.metrics -> m.name <> m.value)")) {
        while (rs.next()) {
          contradicted.add(
              new DocumentBatch.Key(
                  rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
        }
      }
      if (!contradicted.isEmpty()) {
        throw new StoredContradiction(contradicted);
      }
      long stored;
      try (ResultSet rs =
          move.executeQuery(
              "SELECT count(*) AS stored FROM telemetry_staging s"
                  + " JOIN telemetry_documents t USING (device_id, ts)"
                  + " CROSS JOIN LATERAL jsonb_object_keys(s.metrics) AS k (name)"
                  + " WHERE jsonb_exists(t.metrics, k.name)")) {
        rs.next();
        stored = rs.getLong("stored");
      }
      move.executeUpdate(
          "INSERT INTO telemetry_documents AS t (device_id, ts, metrics)"
              + " SELECT device_id, ts, metrics FROM telemetry_staging"
              // A merged document is marked with this transaction (EXCLUDED's default), so
              // that the hourly rollup recomputes its hour.
              + " ON CONFLICT (device_id, ts) DO UPDATE SET metrics = EXCLUDED.metrics || t.metrics,"
              + " xact_id = EXCLUDED.xact_id"
              + " WHERE NOT t.metrics @> EXCLUDED.metrics");
      pointsWritten.increment(rows.points() - stored);
      pointsDuplicate.increment(stored);
      stagedBatches.increment();
    }
  }

  private void copy(Connection c, String sql) throws SQLException {
    CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      rows.writeTo(copy);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private void insertEvents(Connection c, List<DeviceEvent> events) throws SQLException {
    Timestamp now = Timestamp.from(Instant.now());
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO device_events (device_id, ts, received_at, type, code, message, data)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING")) {
      for (DeviceEvent event : events) {
        insert.setString(1, event.deviceId());
        insert.setTimestamp(2, Timestamp.from(event.ts()));
        insert.setTimestamp(3, now);
        insert.setString(4, event.type());
        insert.setString(5, event.code());
        insert.setString(6, event.message());
        insert.setString(7, event.dataJson());
        insert.addBatch();
      }
      insert.executeBatch();
      eventsWritten.increment(events.size());
    }
  }

  /** Sets last-seen; ids sorted so that concurrent updates of the same rows cannot deadlock. */
  private static void touchDevices(Connection c, List<String> devices) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE devices SET last_seen_at = now() WHERE id = ANY (?)"
                + " AND (last_seen_at IS NULL OR last_seen_at < now())")) {
      update.setArray(1, c.createArrayOf("text", devices.toArray()));
      update.executeUpdate();
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = dataSource.getConnection();
      try (Statement setup = c.createStatement()) {
        setup.execute("SET statement_timeout = " + writeTimeout.toMillis());
        // Named, so that operators (and the stall test) can find its backend.
        setup.execute("SET application_name = '" + APPLICATION_NAME + "'");
        setup.execute(
            "CREATE TEMP TABLE IF NOT EXISTS telemetry_staging"
                + " (device_id text, ts timestamptz, metrics jsonb)"
                + " ON COMMIT DELETE ROWS");
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      c.setAutoCommit(false);
      // The statement time-out needs a server that answers; a stopped one (SIGSTOP, a hung disk)
      // would hold the writer forever. Past this the socket read fails and the store counts as
      // unavailable, so devices get refusals instead of silence.
      c.setNetworkTimeout(Runnable::run, (int) writeTimeout.plus(NETWORK_GRACE).toMillis());
      connection = c;
    }
    return connection;
  }

  private void probeStore() throws InterruptedException {
    Thread.sleep(PROBE_INTERVAL.toMillis());
    try {
      Connection c = connection();
      try (Statement probe = c.createStatement()) {
        probe.execute("SELECT 1");
      }
      c.commit();
      storeAvailable = true;
      LOG.info("Database reachable again; accepting writes");
    } catch (SQLException e) {
      closeConnection();
    }
  }

  private void completeAll(List<PendingWrite> batch, ServiceException failure) {
    queuedWeight.addAndGet(-weight(batch));
    for (PendingWrite pending : batch) {
      AtomicInteger deviceQueued = pending.deviceQueued();
      if (deviceQueued.addAndGet(-pending.weight()) == 0) {
        // A device with nothing queued holds no entry. An offer that took this counter just
        // before its removal still adds to it and takes from it alike; only queuedPoints misses
        // that offer's weight meanwhile, a moment's leniency of a soft limit.
        queuedByDevice.remove(pending.uplink().deviceId(), deviceQueued);
      }
      try {
        pending.completion().accept(failure);
      } catch (RuntimeException e) {
        LOG.error("Completion callback failed", e);
      }
    }
  }

  private void failQueued(ServiceException failure) {
    List<PendingWrite> dropped = new ArrayList<>();
    queue.drainTo(dropped);
    completeAll(dropped, failure);
  }

  private void releaseWaitersIfWritable() {
    if (queuedWeight.get() <= capacity / 2) {
      Runnable waiter;
      while ((waiter = capacityWaiters.poll()) != null) {
        waiter.run();
      }
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is discarded next anyway.
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Broken connections fail to close; Hikari evicts them.
      }
      connection = null;
    }
  }

  private static ServiceException storeUnavailable() {
    return new ServiceException(Failure.STORE_UNAVAILABLE, "store unavailable, nothing was stored");
  }

  /** Stops taking new writes, writes what is queued, and stops. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(writeTimeout.toMillis() + 5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
