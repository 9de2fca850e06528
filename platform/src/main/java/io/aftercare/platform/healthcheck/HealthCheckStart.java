package io.aftercare.platform.healthcheck;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.aftercare.platform.alarms.OpenAlarm;
import io.aftercare.platform.alarms.Resolution;
import io.aftercare.platform.alarms.SystemActor;
import io.aftercare.platform.command.Command;
import io.aftercare.platform.command.CommandRequest;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.error.ServiceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the post-fix health check of a ticketed fault whose alarm just cleared, in the transaction
 * that clears it: the check's row, and the catalog's self-test sent to the device if its type has
 * one. {@link HealthChecks} decides the check once its window has passed; only then is the ticket
 * bridge told (docs/tickets.md, "Post-fix health check").
 */
public final class HealthCheckStart {

  /** The catalog's self-test; its verdict is in the result's output. */
  static final String SELF_TEST = "run_self_test";

  private static final Logger LOG = LoggerFactory.getLogger(HealthCheckStart.class);

  private final CommandService commands;

  public HealthCheckStart(CommandService commands) {
    this.commands = commands;
  }

  /**
   * Starts the check of {@code alarm}, which cleared with {@code resolution}. Starting twice (a
   * decision taken again) does nothing: the alarm has one check, and its self-test is sent under an
   * idempotency key.
   *
   * @param toWake collects the device when a self-test was stored, to wake after the commit
   */
  public void start(
      Connection c, OpenAlarm alarm, Resolution resolution, Instant now, Set<String> toWake)
      throws SQLException {
    if (!insert(c, alarm, resolution, now)) {
      return;
    }
    Optional<String> type = deviceType(c, alarm.deviceId());
    if (type.isEmpty() || commands.catalog().find(type.get(), SELF_TEST).isEmpty()) {
      return;
    }
    try {
      Command selfTest =
          commands.submit(
              c,
              alarm.deviceId(),
              new CommandRequest(
                  SELF_TEST, JsonNodeFactory.instance.objectNode().put("component", "all"), null),
              SystemActor.DIAGNOSTICS,
              "diagnostics",
              "health-check-" + alarm.id());
      update(c, alarm.id(), "self_test_command_id", selfTest.id());
      toWake.add(alarm.deviceId());
    } catch (ServiceException e) {
      // E.g. too many commands open: the check cannot see the device pass its self-test.
      LOG.info(
          "Alarm {}: health-check self-test refused for device {}: {}",
          alarm.id(),
          alarm.deviceId(),
          e.getMessage());
      update(c, alarm.id(), "self_test_refused", e.getMessage());
    }
  }

  private static boolean insert(Connection c, OpenAlarm alarm, Resolution resolution, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO health_checks (alarm_id, device_id, rule_id, category, severity,"
                + " resolution, cleared_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (alarm_id) DO NOTHING")) {
      insert.setLong(1, alarm.id());
      insert.setString(2, alarm.deviceId());
      insert.setString(3, alarm.ruleId());
      insert.setString(4, alarm.category().name().toLowerCase(Locale.ROOT));
      insert.setString(5, alarm.severity().wireName());
      insert.setString(6, resolution.wireName());
      insert.setTimestamp(7, Timestamp.from(now));
      return insert.executeUpdate() == 1;
    }
  }

  private static void update(Connection c, long alarmId, String column, String value)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE health_checks SET " + column + " = ? WHERE alarm_id = ?")) {
      update.setString(1, value);
      update.setLong(2, alarmId);
      update.executeUpdate();
    }
  }

  private static Optional<String> deviceType(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT type FROM devices WHERE id = ?")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }
}
