package io.aftercare.platform.alarms;

import io.aftercare.bridge.Category;
import io.aftercare.bridge.Severity;
import io.aftercare.bridge.TicketRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * Asks the ticket bridge for tickets through its contract ({@link
 * io.aftercare.bridge.TicketRequests}), in the caller's transaction: the request exists if and only
 * if the alarm change that warranted it was committed. Clears reach the bridge through the post-fix
 * health check ({@code healthcheck.HealthChecks}).
 */
public final class TicketRequests {

  private TicketRequests() {}

  /** Asks for a ticket for an alarm that remote fixes could not clear (or had none). */
  public static void open(Connection c, OpenAlarm alarm, String reason, Instant now)
      throws SQLException {
    io.aftercare.bridge.TicketRequests.open(
        c, new TicketRequest(fault(alarm), reason, Evidence.collect(c, alarm.id(), now)));
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

  private static TicketRequest.Fault fault(OpenAlarm alarm) {
    return new TicketRequest.Fault(
        alarm.deviceId(),
        alarm.id(),
        alarm.ruleId(),
        Category.fromWireName(alarm.category().name().toLowerCase(Locale.ROOT)),
        Severity.fromWireName(alarm.severity().wireName()));
  }
}
