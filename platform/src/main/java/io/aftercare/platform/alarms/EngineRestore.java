package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.PlatformHeartbeat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the engine from the database at start — devices, open alarms as stored, plus recent
 * history replayed — so that a restart neither forgets an open fault nor raises it twice, and the
 * time the platform was down does not count as any device's silence.
 *
 * <p>The restore runs in two steps so that the device channels need not wait for it: {@link
 * #snapshot} fixes, on the starting thread and before the telemetry writer starts, which commits
 * the restore will read (a repeatable-read transaction); {@link Snapshot#load} then reads them on
 * the diagnostics thread while the platform already takes traffic. Every document is therefore seen
 * by the engine exactly once: committed before the snapshot, it is in the restored history; after
 * it, it reaches the engine through the inbox, which holds it until the load has ended.
 */
public final class EngineRestore {

  private static final Logger LOG = LoggerFactory.getLogger(EngineRestore.class);
  private static final int RESTORE_MAX_ROWS = 2_000_000;

  private final DataSource dataSource;
  private final DiagnosticsEngine engine;
  private final Clock clock;
  private final Duration window;

  public EngineRestore(
      DataSource dataSource, DiagnosticsEngine engine, Clock clock, Duration window) {
    this.dataSource = dataSource;
    this.engine = engine;
    this.clock = clock;
    this.window = window;
  }

  /**
   * Opens the transaction the restore reads and takes its snapshot with a first, cheap query. Call
   * it before the telemetry writer starts.
   */
  Snapshot snapshot() {
    Instant now = clock.instant();
    Connection connection = null;
    try {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      // The platform was listening at its last heartbeat, and whenever it heard a device.
      Instant lastListened = PlatformHeartbeat.last(connection).orElse(null);
      return new Snapshot(connection, now, lastListened);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw Jdbc.translate(e);
    }
  }

  /** The restore's transaction, its snapshot taken; {@link #load} reads it once and ends it. */
  final class Snapshot {

    private final Connection connection;
    private final Instant now;
    private Instant lastListened;

    private Snapshot(Connection connection, Instant now, Instant lastListened) {
      this.connection = connection;
      this.now = now;
      this.lastListened = lastListened;
    }

    /** Reads devices, open alarms and history into the engine, then commits and closes. */
    void load() {
      long started = System.nanoTime();
      try (connection) {
        loadInto(connection);
        PlatformHeartbeat.beat(connection, now);
        connection.commit();
      } catch (SQLException e) {
        throw Jdbc.translate(e);
      }
      LOG.info(
          "Diagnostics restore took {} ms; inputs that arrived meanwhile are handled now",
          Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private void loadInto(Connection c) throws SQLException {
      try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT id, type, model, firmware,"
                      + " COALESCE(last_seen_at, created_at) AS last_seen, online FROM devices");
          ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Instant lastSeen = rs.getTimestamp("last_seen").toInstant();
          engine.trackDevice(DeviceProfiles.read(rs), lastSeen, rs.getBoolean("online"));
          if (lastListened == null || lastSeen.isAfter(lastListened)) {
            lastListened = lastSeen;
          }
        }
      }
      var open = AlarmQueries.openSnapshots(c);
      var history = HistoryLoader.since(c, null, now.minus(window), RESTORE_MAX_ROWS);
      engine.restore(open, history);
      LOG.info(
          "Diagnostics restored: {} open alarms, {} history records of the last {}",
          open.size(),
          history.size(),
          window);
      if (lastListened != null && lastListened.isBefore(now)) {
        engine.leaveOutOutage(lastListened, now);
        LOG.info(
            "Platform not listening from {} to {}: not counted as any device's silence",
            lastListened,
            now);
      }
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("Could not close the restore's connection", e);
    }
  }
}
