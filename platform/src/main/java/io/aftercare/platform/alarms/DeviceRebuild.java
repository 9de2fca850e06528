package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.HistoryRecord;
import io.aftercare.diagnostics.alarm.AlarmSnapshot;
import io.aftercare.platform.db.Jdbc;
import java.sql.Array;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds one device's diagnostics state from the database: its open alarms as stored, then its
 * history within the restore window replayed, so that a device moving to this node (or coming back
 * after a restart) is neither forgotten nor alarmed twice, and a window begun elsewhere goes on
 * here. Replay changes no alarm. Per device and on demand: a node reads only what it evaluates, and
 * the devices a committed batch brings here for the first time in one transaction (a fleet arriving
 * at a fresh node would otherwise cost one transaction per device on the diagnostics thread, while
 * the writer waits for its inbox).
 */
final class DeviceRebuild {

  /** Telemetry rows read per device at most; the newest are kept when the cap bites. */
  private static final int MAX_ROWS = 100_000;

  /** What the database holds for one device, read in one transaction. */
  record Stored(List<AlarmSnapshot> openAlarms, List<HistoryRecord> history) {}

  private final Jdbc jdbc;
  private final Clock clock;
  private final Duration window;

  DeviceRebuild(Jdbc jdbc, Clock clock, Duration window) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.window = window;
  }

  /** Reads the device's open alarms and its history since one restore window ago. */
  Stored read(String deviceId) {
    return read(List.of(deviceId)).get(deviceId);
  }

  /**
   * Reads, in one transaction, each device's open alarms and its history since one restore window
   * ago; every device of {@code deviceIds} is in the map.
   */
  Map<String, Stored> read(Collection<String> deviceIds) {
    Instant from = clock.instant().minus(window);
    return jdbc.runNow(
        c -> {
          Array ids = c.createArrayOf("text", deviceIds.toArray());
          Map<String, List<AlarmSnapshot>> alarms = new HashMap<>();
          for (AlarmSnapshot alarm : AlarmQueries.openSnapshotsOfDevices(c, ids)) {
            alarms.computeIfAbsent(alarm.device().id(), id -> new ArrayList<>()).add(alarm);
          }
          Map<String, List<HistoryRecord>> history =
              HistoryLoader.since(c, deviceIds, from, MAX_ROWS);
          Map<String, Stored> stored = new HashMap<>();
          for (String deviceId : deviceIds) {
            stored.put(
                deviceId,
                new Stored(
                    alarms.getOrDefault(deviceId, List.of()),
                    history.getOrDefault(deviceId, List.of())));
          }
          return stored;
        },
        true);
  }

  /**
   * Restores {@code stored} into {@code engine}, replaying all of it but what {@code arrived} here
   * and waits in the inbox, to be evaluated once.
   */
  static void restore(DiagnosticsEngine engine, Stored stored, HeldDevices.Arrived arrived) {
    List<HistoryRecord> replayed = new ArrayList<>(stored.history().size());
    for (HistoryRecord record : stored.history()) {
      if (!arrived.contains(record)) {
        replayed.add(record);
      }
    }
    engine.restore(stored.openAlarms(), replayed);
  }
}
