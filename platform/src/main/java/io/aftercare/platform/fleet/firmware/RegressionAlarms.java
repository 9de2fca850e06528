package io.aftercare.platform.fleet.firmware;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The table of the guard's fleet-level alarms (V111): raise, refresh, clear, read. */
final class RegressionAlarms {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String COLUMNS =
      "id, model, firmware, previous_firmware, rule_id, status, raised_at, evaluated_at,"
          + " cleared_at, evidence::text AS evidence";

  private RegressionAlarms() {}

  /** What one round found: the regressions it raised and the ones it cleared. */
  record Round(List<RegressionAlarm> raised, List<RegressionAlarm> cleared) {}

  /**
   * Makes the active alarms match {@code regressions}: raises the new ones, refreshes the evidence
   * of the ones still found, clears the others. Locks the active alarms first, so that two rounds
   * overlapping during a lease hand-over cannot raise one twice (the unique index would refuse it).
   */
  static Round reconcile(Connection c, List<Regression> regressions, Instant now)
      throws SQLException {
    List<RegressionAlarm> active = active(c, null, null, true);
    Set<List<String>> found = new HashSet<>();
    List<RegressionAlarm> raised = new ArrayList<>();
    for (Regression regression : regressions) {
      found.add(regression.key());
      RegressionAlarm existing =
          active.stream().filter(a -> key(a).equals(regression.key())).findFirst().orElse(null);
      if (existing == null) {
        raised.add(insert(c, regression, now));
      } else {
        refresh(c, existing.id(), regression, now);
      }
    }
    List<RegressionAlarm> cleared = new ArrayList<>();
    for (RegressionAlarm alarm : active) {
      if (!found.contains(key(alarm))) {
        clear(c, alarm.id(), now);
        cleared.add(alarm);
      }
    }
    return new Round(raised, cleared);
  }

  /** One alarm, active or cleared. */
  static Optional<RegressionAlarm> find(Connection c, long id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + COLUMNS + " FROM firmware_regression_alarms WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** The active alarms, of one model and one rule when given (null: all), newest first. */
  static List<RegressionAlarm> active(Connection c, String model, String ruleId, boolean lock)
      throws SQLException {
    List<RegressionAlarm> alarms = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM firmware_regression_alarms WHERE status = 'active'"
                + " AND (?::text IS NULL OR model = ?) AND (?::text IS NULL OR rule_id = ?)"
                + " ORDER BY raised_at DESC, id DESC"
                + (lock ? " FOR UPDATE" : ""))) {
      select.setString(1, model);
      select.setString(2, model);
      select.setString(3, ruleId);
      select.setString(4, ruleId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          alarms.add(read(rs));
        }
      }
    }
    return alarms;
  }

  private static RegressionAlarm insert(Connection c, Regression regression, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO firmware_regression_alarms (model, firmware, previous_firmware, rule_id,"
                + " status, raised_at, evaluated_at, evidence)"
                + " VALUES (?, ?, ?, ?, 'active', ?, ?, ?::jsonb) RETURNING "
                + COLUMNS)) {
      insert.setString(1, regression.model());
      insert.setString(2, regression.firmware());
      insert.setString(3, regression.comparison().previousFirmware());
      insert.setString(4, regression.ruleId());
      insert.setTimestamp(5, Timestamp.from(now));
      insert.setTimestamp(6, Timestamp.from(now));
      insert.setString(7, evidence(regression));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return read(rs);
      }
    }
  }

  private static void refresh(Connection c, long id, Regression regression, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE firmware_regression_alarms SET evaluated_at = ?, evidence = ?::jsonb,"
                + " previous_firmware = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setString(2, evidence(regression));
      update.setString(3, regression.comparison().previousFirmware());
      update.setLong(4, id);
      update.executeUpdate();
    }
  }

  private static void clear(Connection c, long id, Instant now) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE firmware_regression_alarms SET status = 'cleared', cleared_at = ?,"
                + " evaluated_at = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setTimestamp(2, Timestamp.from(now));
      update.setLong(3, id);
      update.executeUpdate();
    }
  }

  private static String evidence(Regression regression) {
    ObjectNode evidence = JSON.createObjectNode();
    evidence.put("from", regression.from().toString());
    evidence.put("to", regression.to().toString());
    evidence.put("significance", regression.significance());
    evidence.set("current", JSON.valueToTree(regression.current()));
    evidence.set("previous", JSON.valueToTree(regression.previous()));
    evidence.set("comparison", JSON.valueToTree(regression.comparison()));
    return evidence.toString();
  }

  private static List<String> key(RegressionAlarm alarm) {
    return List.of(alarm.model(), alarm.firmware(), alarm.ruleId());
  }

  private static RegressionAlarm read(ResultSet rs) throws SQLException {
    Timestamp cleared = rs.getTimestamp("cleared_at");
    try {
      return new RegressionAlarm(
          rs.getLong("id"),
          rs.getString("model"),
          rs.getString("firmware"),
          rs.getString("previous_firmware"),
          rs.getString("rule_id"),
          rs.getString("status"),
          rs.getTimestamp("raised_at").toInstant(),
          rs.getTimestamp("evaluated_at").toInstant(),
          cleared == null ? null : cleared.toInstant(),
          JSON.readTree(rs.getString("evidence")),
          null);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable evidence of firmware regression alarm", e);
    }
  }
}
