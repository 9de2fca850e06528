package io.aftercare.platform.alarms;

import io.aftercare.bridge.Category;
import io.aftercare.bridge.Severity;
import io.aftercare.bridge.TicketRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Asks the ticket bridge for tickets through its contract ({@link
 * io.aftercare.bridge.TicketRequests}), in the caller's transaction: the request exists if and only
 * if the alarm change that warranted it was committed.
 */
final class TicketRequests {

  private TicketRequests() {}

  /** Asks for a ticket for an alarm that remote fixes could not clear (or had none). */
  static void open(Connection c, AlarmStore.OpenAlarm alarm, String reason, Instant now)
      throws SQLException {
    io.aftercare.bridge.TicketRequests.open(
        c, new TicketRequest(fault(alarm), reason, Evidence.collect(c, alarm.id(), now)));
    AlarmStore.markTicketRequested(c, alarm.id(), now);
    AlarmStore.event(
        c, alarm.id(), now, "ticket_requested", null, SystemActor.DIAGNOSTICS.name(), null);
  }

  /** Tells the bridge that an alarm it was asked about has cleared. */
  static void alarmCleared(Connection c, AlarmStore.OpenAlarm alarm, String resolution)
      throws SQLException {
    io.aftercare.bridge.TicketRequests.alarmCleared(c, fault(alarm), resolution);
  }

  private static TicketRequest.Fault fault(AlarmStore.OpenAlarm alarm) {
    return new TicketRequest.Fault(
        alarm.deviceId(),
        alarm.id(),
        alarm.ruleId(),
        Category.fromWireName(alarm.category()),
        Severity.fromWireName(alarm.severity()));
  }
}
