package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.device.PlatformHeartbeat;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the engine from the database at start — devices, open alarms as stored, plus recent
 * history replayed — so that a restart neither forgets an open fault nor raises it twice, and the
 * time the platform was down does not count as any device's silence.
 */
public final class EngineRestore {

  private static final Logger LOG = LoggerFactory.getLogger(EngineRestore.class);
  private static final int RESTORE_MAX_ROWS = 2_000_000;

  private final Jdbc jdbc;
  private final DiagnosticsEngine engine;
  private final Clock clock;
  private final Duration window;

  public EngineRestore(Jdbc jdbc, DiagnosticsEngine engine, Clock clock, Duration window) {
    this.jdbc = jdbc;
    this.engine = engine;
    this.clock = clock;
    this.window = window;
  }

  void run() {
    Instant now = clock.instant();
    jdbc.runNow(
        c -> {
          // The platform was listening at its last heartbeat, and whenever it heard a device.
          Instant lastListened = PlatformHeartbeat.last(c).orElse(null);
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
          PlatformHeartbeat.beat(c, now);
          return null;
        },
        false);
  }
}
