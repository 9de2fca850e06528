package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.HistoryRecord;
import io.aftercare.diagnostics.alarm.AlarmSnapshot;
import io.aftercare.platform.db.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds one device's diagnostics state from the database: its open alarms as stored, then its
 * history within the restore window replayed, so that a device moving to this node (or coming back
 * after a restart) is neither forgotten nor alarmed twice, and a window begun elsewhere goes on
 * here. Replay changes no alarm. Per device and on demand: a node reads only what it evaluates.
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
    Instant from = clock.instant().minus(window);
    return jdbc.runNow(
        c ->
            new Stored(
                AlarmQueries.openSnapshots(c, deviceId),
                HistoryLoader.since(c, deviceId, from, MAX_ROWS)),
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
