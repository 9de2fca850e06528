package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.HistoryRecord;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import io.aftercare.platform.device.DeviceConnectivity;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a device's stored history back as the engine's {@link HistoryRecord}s: to refill its rule
 * windows when a node takes it up, and to evaluate a device's recent past in an on-demand
 * diagnostic session. Rows sharing a device and timestamp are regrouped into one telemetry
 * document, as they arrived.
 *
 * <p>Several devices are read in one go (a node taking up a whole batch's new devices): five
 * queries for all of them rather than five per device. Each query names the devices in an array, so
 * its plan stays on the tables' device-led keys.
 */
public final class HistoryLoader {

  private HistoryLoader() {}

  /**
   * History since {@code from} of one device, at most {@code maxRows} telemetry rows (the newest
   * are kept when the cap bites).
   */
  public static List<HistoryRecord> since(Connection c, String deviceId, Instant from, int maxRows)
      throws SQLException {
    return since(c, List.of(deviceId), from, maxRows).getOrDefault(deviceId, List.of());
  }

  /**
   * History since {@code from} of each of {@code deviceIds}, at most {@code maxRowsPerDevice}
   * telemetry rows per device (its newest are kept when the cap bites); a device with no history is
   * not in the map.
   */
  public static Map<String, List<HistoryRecord>> since(
      Connection c, Collection<String> deviceIds, Instant from, int maxRowsPerDevice)
      throws SQLException {
    Array ids = c.createArrayOf("text", deviceIds.toArray());
    Map<String, DeviceProfile> profiles = DeviceProfiles.readAll(c, ids);
    Map<String, List<HistoryRecord>> history = new HashMap<>();
    telemetry(c, ids, from, maxRowsPerDevice, profiles, history);
    events(c, ids, from, profiles, history);
    connectivity(c, ids, from, profiles, history);
    return history;
  }

  private static void telemetry(
      Connection c,
      Array ids,
      Instant from,
      int maxRowsPerDevice,
      Map<String, DeviceProfile> profiles,
      Map<String, List<HistoryRecord>> history)
      throws SQLException {
    // LATERAL: the row cap is per device, each read newest first off its key.
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT r.device_id, r.ts, r.metric, r.value FROM unnest(?::text[]) AS d(id)"
                + " CROSS JOIN LATERAL (SELECT x.device_id, x.ts, x.metric, x.value"
                + " FROM telemetry x WHERE x.device_id = d.id AND x.ts >= ?"
                + " ORDER BY x.ts DESC LIMIT ?) r ORDER BY r.device_id, r.ts")) {
      select.setArray(1, ids);
      select.setTimestamp(2, Timestamp.from(from));
      select.setInt(3, maxRowsPerDevice);
      try (ResultSet rs = select.executeQuery()) {
        String device = null;
        Instant ts = null;
        Map<String, Double> metrics = new LinkedHashMap<>();
        while (rs.next()) {
          String rowDevice = rs.getString("device_id");
          Instant rowTs = rs.getTimestamp("ts").toInstant();
          if (device != null && (!device.equals(rowDevice) || !ts.equals(rowTs))) {
            addTelemetry(history, profiles, device, ts, metrics);
            metrics = new LinkedHashMap<>();
          }
          device = rowDevice;
          ts = rowTs;
          metrics.put(rs.getString("metric"), rs.getDouble("value"));
        }
        if (device != null) {
          addTelemetry(history, profiles, device, ts, metrics);
        }
      }
    }
  }

  private static void addTelemetry(
      Map<String, List<HistoryRecord>> history,
      Map<String, DeviceProfile> profiles,
      String device,
      Instant ts,
      Map<String, Double> metrics) {
    DeviceProfile profile = profiles.get(device);
    if (profile != null) {
      add(
          history,
          new HistoryRecord.TelemetryRecord(profile, new Telemetry(device, ts, true, metrics)));
    }
  }

  private static void add(Map<String, List<HistoryRecord>> history, HistoryRecord record) {
    history.computeIfAbsent(record.device().id(), id -> new ArrayList<>()).add(record);
  }

  private static void events(
      Connection c,
      Array ids,
      Instant from,
      Map<String, DeviceProfile> profiles,
      Map<String, List<HistoryRecord>> history)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT x.device_id, x.ts, x.type, x.code, x.message, x.data::text AS data"
                + " FROM device_events x WHERE x.ts >= ? AND x.device_id = ANY (?)"
                + " ORDER BY x.ts")) {
      bindRange(select, from, ids);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          DeviceProfile profile = profiles.get(rs.getString("device_id"));
          if (profile != null) {
            add(
                history,
                new HistoryRecord.EventRecord(
                    profile,
                    new DeviceEvent(
                        rs.getString("device_id"),
                        rs.getTimestamp("ts").toInstant(),
                        rs.getString("type"),
                        rs.getString("code"),
                        rs.getString("message"),
                        rs.getString("data"))));
          }
        }
      }
    }
  }

  private static void connectivity(
      Connection c,
      Array ids,
      Instant from,
      Map<String, DeviceProfile> profiles,
      Map<String, List<HistoryRecord>> history)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT x.device_id, x.ts, x.online, x.reason FROM device_connectivity x"
                + " WHERE x.ts >= ? AND x.device_id = ANY (?) ORDER BY x.ts, x.id")) {
      bindRange(select, from, ids);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          DeviceProfile profile = profiles.get(rs.getString("device_id"));
          if (profile != null) {
            add(
                history,
                new HistoryRecord.ConnectivityRecord(
                    profile,
                    DeviceConnectivity.linkChange(rs.getBoolean("online"), rs.getString("reason")),
                    rs.getTimestamp("ts").toInstant()));
          }
        }
      }
    }
  }

  /** Binds "since {@code from}" and the devices, in that order. */
  private static void bindRange(PreparedStatement select, Instant from, Array ids)
      throws SQLException {
    select.setTimestamp(1, Timestamp.from(from));
    select.setArray(2, ids);
  }
}
