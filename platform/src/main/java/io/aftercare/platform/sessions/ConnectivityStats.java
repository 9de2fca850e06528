package io.aftercare.platform.sessions;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * A device's link over a period, for a diagnostic report: disconnections, reasons, the latest Wi-Fi
 * signal, messages received, the longest gap between them (up to the end of the period) and how
 * long the device has been silent.
 */
final class ConnectivityStats {

  private ConnectivityStats() {}

  static ObjectNode of(Connection c, String deviceId, Instant from, Instant to)
      throws SQLException {
    ObjectNode stats = JsonNodeFactory.instance.objectNode();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT count(*) FILTER (WHERE NOT online) AS disconnections,"
                + " count(*) FILTER (WHERE online) AS connections,"
                + " string_agg(DISTINCT reason, ',') FILTER (WHERE NOT online) AS reasons"
                + " FROM device_connectivity WHERE device_id = ? AND ts >= ? AND ts <= ?")) {
      bind(select, deviceId, from, to);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        stats
            .put("disconnections", rs.getLong("disconnections"))
            .put("connections", rs.getLong("connections"));
        stats.put("disconnectReasons", rs.getString("reasons"));
      }
    }
    // The report's end is a point of its own: the silence since the last document is a gap too,
    // the one that matters for a device that has gone quiet.
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT count(*) FILTER (WHERE document) AS documents,"
                + " EXTRACT(EPOCH FROM max(gap)) AS longest_gap,"
                + " EXTRACT(EPOCH FROM max(ts) FILTER (WHERE NOT document)"
                + "   - max(ts) FILTER (WHERE document)) AS silent_for,"
                + " (SELECT value FROM telemetry"
                + "  WHERE device_id = ? AND metric = 'wifi_rssi_dbm' ORDER BY ts DESC LIMIT 1) AS last_rssi"
                + " FROM (SELECT document, ts, ts - lag(ts) OVER (ORDER BY ts) AS gap FROM"
                + "   (SELECT true AS document, ts FROM telemetry_documents"
                + "     WHERE device_id = ? AND ts >= ? AND ts <= ?"
                + "    UNION ALL SELECT false, ?::timestamptz) points) g")) {
      select.setString(1, deviceId);
      select.setString(2, deviceId);
      select.setTimestamp(3, Timestamp.from(from));
      select.setTimestamp(4, Timestamp.from(to));
      select.setTimestamp(5, Timestamp.from(to));
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        stats.put("telemetryDocuments", rs.getLong("documents"));
        double gap = rs.getDouble("longest_gap");
        if (!rs.wasNull()) {
          stats.put("longestGapSeconds", gap);
        }
        double silent = rs.getDouble("silent_for");
        if (!rs.wasNull()) {
          stats.put("silentForSeconds", silent);
        }
        double rssi = rs.getDouble("last_rssi");
        if (!rs.wasNull()) {
          stats.put("lastWifiRssiDbm", rssi);
        }
      }
    }
    return stats;
  }

  private static void bind(PreparedStatement select, String deviceId, Instant from, Instant to)
      throws SQLException {
    select.setString(1, deviceId);
    select.setTimestamp(2, Timestamp.from(from));
    select.setTimestamp(3, Timestamp.from(to));
  }
}
