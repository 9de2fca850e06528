package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.HistoryRecord;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import io.aftercare.platform.device.DeviceConnectivity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a device's stored history back as the engine's {@link HistoryRecord}s: to refill its rule
 * windows when a node takes it up, and to evaluate a device's recent past in an on-demand
 * diagnostic session. Rows sharing a device and timestamp are regrouped into one telemetry
 * document, as they arrived.
 */
public final class HistoryLoader {

  // One device, always: a condition that could also mean "all devices" would keep a generic plan
  // off the tables' device-led keys, and a rebuild would scan the whole fleet's hour.
  private static final String DEVICE_FILTER = " AND x.device_id = ?";

  private HistoryLoader() {}

  /**
   * History since {@code from} of one device, at most {@code maxRows} telemetry rows (the newest
   * are kept when the cap bites).
   */
  public static List<HistoryRecord> since(Connection c, String deviceId, Instant from, int maxRows)
      throws SQLException {
    Map<String, DeviceProfile> profiles = profiles(c, deviceId);
    List<HistoryRecord> history = new ArrayList<>();
    telemetry(c, deviceId, from, maxRows, profiles, history);
    events(c, deviceId, from, profiles, history);
    connectivity(c, deviceId, from, profiles, history);
    return history;
  }

  private static Map<String, DeviceProfile> profiles(Connection c, String deviceId)
      throws SQLException {
    Map<String, DeviceProfile> profiles = new HashMap<>();
    try (PreparedStatement select =
        c.prepareStatement("SELECT id, type, model, firmware FROM devices WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          profiles.put(rs.getString("id"), DeviceProfiles.read(rs));
        }
      }
    }
    return profiles;
  }

  private static void telemetry(
      Connection c,
      String deviceId,
      Instant from,
      int maxRows,
      Map<String, DeviceProfile> profiles,
      List<HistoryRecord> history)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT device_id, ts, metric, value FROM ("
                + " SELECT x.device_id, x.ts, x.metric, x.value FROM telemetry x WHERE x.ts >= ?"
                + DEVICE_FILTER
                + " ORDER BY x.ts DESC LIMIT ?) recent ORDER BY device_id, ts")) {
      bindRange(select, from, deviceId);
      select.setInt(3, maxRows);
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
      List<HistoryRecord> history,
      Map<String, DeviceProfile> profiles,
      String device,
      Instant ts,
      Map<String, Double> metrics) {
    DeviceProfile profile = profiles.get(device);
    if (profile != null) {
      history.add(
          new HistoryRecord.TelemetryRecord(profile, new Telemetry(device, ts, true, metrics)));
    }
  }

  private static void events(
      Connection c,
      String deviceId,
      Instant from,
      Map<String, DeviceProfile> profiles,
      List<HistoryRecord> history)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT x.device_id, x.ts, x.type, x.code, x.message, x.data::text AS data FROM device_events x"
                + " WHERE x.ts >= ?"
                + DEVICE_FILTER
                + " ORDER BY x.ts")) {
      bindRange(select, from, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          DeviceProfile profile = profiles.get(rs.getString("device_id"));
          if (profile != null) {
            history.add(
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
      String deviceId,
      Instant from,
      Map<String, DeviceProfile> profiles,
      List<HistoryRecord> history)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT x.device_id, x.ts, x.online, x.reason FROM device_connectivity x"
                + " WHERE x.ts >= ?"
                + DEVICE_FILTER
                + " ORDER BY x.ts, x.id")) {
      bindRange(select, from, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          DeviceProfile profile = profiles.get(rs.getString("device_id"));
          if (profile != null) {
            history.add(
                new HistoryRecord.ConnectivityRecord(
                    profile,
                    DeviceConnectivity.linkChange(rs.getBoolean("online"), rs.getString("reason")),
                    rs.getTimestamp("ts").toInstant()));
          }
        }
      }
    }
  }

  /** Binds "since {@code from}" and the device, in that order. */
  private static void bindRange(PreparedStatement select, Instant from, String deviceId)
      throws SQLException {
    select.setTimestamp(1, Timestamp.from(from));
    select.setString(2, deviceId);
  }
}
