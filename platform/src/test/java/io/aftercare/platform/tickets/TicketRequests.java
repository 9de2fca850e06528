package io.aftercare.platform.tickets;

import io.aftercare.platform.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Writes ticket requests as the diagnostics engine does: rows in {@code ticket_requests}. */
final class TicketRequests {

  static final String EVIDENCE =
      "{\"rule\": {\"id\": \"fridge-temp-high\", \"expression\": \"temperature_c > 8 for 10m\"},"
          + " \"alarm\": {\"id\": 41, \"raisedAt\": \"2026-11-23T09:50:00Z\"},"
          + " \"telemetryWindow\": {\"from\": \"2026-11-23T09:30:00Z\","
          + " \"to\": \"2026-11-23T10:00:00Z\", \"metrics\": {\"temperature_c\":"
          + " {\"min\": 4.1, \"max\": 11.8, \"avg\": 8.9, \"last\": 11.8, \"count\": 30}}},"
          + " \"remoteActions\": [{\"command\": \"restart_compressor\", \"commandId\": \"c-1\","
          + " \"status\": \"failed\", \"output\": {\"error\": \"stall\"},"
          + " \"at\": \"2026-11-23T09:55:00Z\"}], \"diagnosis\": \"device_fault\"}";

  private TicketRequests() {}

  static long insert(
      TestDatabases.TestDatabase database,
      String kind,
      String deviceId,
      String ruleId,
      String severity,
      String evidence) {
    try (Connection connection = database.connect();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO ticket_requests (kind, device_id, alarm_id, rule_id, category,"
                    + " severity, reason, evidence) VALUES (?, ?, 41, ?, 'device_fault', ?, ?,"
                    + " ?::jsonb) RETURNING id")) {
      insert.setString(1, kind);
      insert.setString(2, deviceId);
      insert.setString(3, ruleId);
      insert.setString(4, severity);
      insert.setString(
          5, kind.equals("open") ? "compressor stalled, remote restart failed" : "cleared");
      insert.setString(6, evidence);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static long open(TestDatabases.TestDatabase database, String deviceId, String ruleId) {
    return insert(database, "open", deviceId, ruleId, "major", EVIDENCE);
  }

  static long cleared(TestDatabases.TestDatabase database, String deviceId, String ruleId) {
    return insert(database, "alarm_cleared", deviceId, ruleId, "major", "{}");
  }
}
