package io.aftercare.platform.metrics;

import io.aftercare.bridge.LabelledCount;
import io.aftercare.bridge.ServiceDeskCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts alarms, commands and the firmware guard's active fleet alarms, and asks the service desk
 * for its own: the values behind the alarm, firmware regression, ticket, outbox and command series.
 * Alarms and commands are never deleted, so their totals only grow. Blocking: runs on a worker.
 */
final class ServiceCounts {

  static final String ALARMS_RAISED = "alarms.raised";
  static final String ALARMS_CLEARED = "alarms.cleared";
  static final String ALARMS_OPEN = "alarms.open";
  static final String COMMANDS = "commands";
  static final String COMMANDS_OPEN = "commands.open";
  static final String FIRMWARE_REGRESSIONS = "firmware.regressions";

  private ServiceCounts() {}

  static List<LabelledCount> read(Connection c) throws SQLException {
    List<LabelledCount> counts = new ArrayList<>();
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT severity, category, count(*) AS raised,"
                    + " count(*) FILTER (WHERE status = 'cleared') AS cleared"
                    + " FROM alarms GROUP BY severity, category");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        Map<String, String> labels =
            Map.of("severity", rs.getString("severity"), "category", rs.getString("category"));
        long raised = rs.getLong("raised");
        long cleared = rs.getLong("cleared");
        counts.add(new LabelledCount(ALARMS_RAISED, labels, raised));
        counts.add(new LabelledCount(ALARMS_CLEARED, labels, cleared));
        counts.add(new LabelledCount(ALARMS_OPEN, labels, raised - cleared));
      }
    }
    // Each command's transitions are kept: a command that reached a status counts there once.
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT to_status, count(DISTINCT command_id) FROM command_transitions"
                    + " GROUP BY to_status");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        counts.add(new LabelledCount(COMMANDS, Map.of("status", rs.getString(1)), rs.getLong(2)));
      }
    }
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT status, count(*) FROM commands"
                    + " WHERE status IN ('queued', 'sent', 'accepted') GROUP BY status");
        ResultSet rs = select.executeQuery()) {
      Map<String, Long> open =
          new LinkedHashMap<>(Map.of("queued", 0L, "sent", 0L, "accepted", 0L));
      while (rs.next()) {
        open.put(rs.getString(1), rs.getLong(2));
      }
      open.forEach(
          (status, n) -> counts.add(new LabelledCount(COMMANDS_OPEN, Map.of("status", status), n)));
    }
    try (PreparedStatement select =
            c.prepareStatement(
                "SELECT count(*) FROM firmware_regression_alarms WHERE status = 'active'");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      counts.add(new LabelledCount(FIRMWARE_REGRESSIONS, Map.of(), rs.getLong(1)));
    }
    counts.addAll(ServiceDeskCounts.read(c));
    return counts;
  }
}
