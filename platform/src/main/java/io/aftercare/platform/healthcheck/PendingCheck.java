package io.aftercare.platform.healthcheck;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A row of {@code health_checks} not decided yet. */
record PendingCheck(
    long alarmId,
    String deviceId,
    String ruleId,
    String category,
    String severity,
    String resolution,
    Instant clearedAt,
    String selfTestCommandId,
    String selfTestRefused) {

  static final String COLUMNS =
      "alarm_id, device_id, rule_id, category, severity, resolution, cleared_at,"
          + " self_test_command_id, self_test_refused";

  static PendingCheck read(ResultSet rs) throws SQLException {
    return new PendingCheck(
        rs.getLong("alarm_id"),
        rs.getString("device_id"),
        rs.getString("rule_id"),
        rs.getString("category"),
        rs.getString("severity"),
        rs.getString("resolution"),
        rs.getTimestamp("cleared_at").toInstant(),
        rs.getString("self_test_command_id"),
        rs.getString("self_test_refused"));
  }
}
