package io.aftercare.platform.alarms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes requests for the ticket bridge into its outbox table, in the caller's transaction: the
 * request exists if and only if the alarm change that warranted it was committed.
 */
public final class TicketRequests {

  private TicketRequests() {}

  /** Asks for a ticket for an alarm that remote fixes could not clear (or had none). */
  public static void open(Connection c, OpenAlarm alarm, String reason, Instant now)
      throws SQLException {
    insert(c, "open", alarm, reason, Evidence.collect(c, alarm.id(), now).toString());
    AlarmWrites.markTicketRequested(c, alarm.id(), now);
    AlarmWrites.event(
        c,
        alarm.id(),
        now,
        AlarmEventType.TICKET_REQUESTED,
        null,
        SystemActor.DIAGNOSTICS.name(),
        null);
  }

  /** Tells the bridge that an alarm it was asked about has cleared. */
  public static void alarmCleared(Connection c, OpenAlarm alarm, String resolution)
      throws SQLException {
    insert(c, "alarm_cleared", alarm, resolution, "{\"resolution\":\"" + resolution + "\"}");
  }

  private static void insert(
      Connection c, String kind, OpenAlarm alarm, String reason, String evidenceJson)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_requests (kind, device_id, alarm_id, rule_id, category, severity,"
                + " reason, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
      insert.setString(1, kind);
      insert.setString(2, alarm.deviceId());
      insert.setLong(3, alarm.id());
      insert.setString(4, alarm.ruleId());
      insert.setString(5, alarm.category().name().toLowerCase(Locale.ROOT));
      insert.setString(6, alarm.severity().wireName());
      insert.setString(7, reason);
      insert.setString(8, evidenceJson);
      insert.executeUpdate();
    }
  }
}
