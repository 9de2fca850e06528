package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opens a customer-reported case inside the caller's transaction: the ticket, the device's open
 * alarms linked to it, its timeline line and its {@code ticket.opened} event. The SLA clocks start
 * now, at receipt.
 */
final class CaseIntake {

  /**
   * A report carries no severity; the priority matrix ranks it as a minor fault until staff triage
   * it.
   */
  private static final Severity REPORTED_SEVERITY = Severity.MINOR;

  private final PriorityMatrix priorities;
  private final int warrantyMonths;

  CaseIntake(PriorityMatrix priorities, int warrantyMonths) {
    this.priorities = priorities;
    this.warrantyMonths = warrantyMonths;
  }

  /**
   * The case being worked for one of the device's alarms not yet cleared: the fault the customer
   * reports is already a case, which the report joins instead of opening a second (one case per
   * fault episode). Locks the device's tickets, so that no alarm request opens one meanwhile.
   */
  Optional<Long> caseOfTheSameFault(Connection c, ReportedCase report) throws SQLException {
    if (report.deviceId() == null) {
      return Optional.empty();
    }
    facts(c, report.deviceId());
    // Serialised with the alarm requests of the device, so that none opens a second ticket.
    Episodes.lockDevice(c, report.deviceId());
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT t.id FROM tickets t JOIN ticket_alarms l ON l.ticket_id = t.id"
                + " JOIN alarms a ON a.id = l.alarm_id WHERE t.device_id = ?"
                + " AND a.status <> 'cleared' AND t.status IN ('open', 'acknowledged',"
                + " 'dispatched', 'in_progress', 'awaiting_parts') ORDER BY t.id LIMIT 1")) {
      select.setString(1, report.deviceId());
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /**
   * Adds the customer's report to the case of the same fault: a timeline line with what they said
   * and a {@code ticket.customer_reported} event, so that the helpdesk hears the customer's words.
   * The case's clocks are unchanged: its receipt was earlier.
   */
  long join(Connection c, long ticketId, ReportedCase report, String actor, Instant now)
      throws SQLException {
    Map<String, Object> said = new LinkedHashMap<>();
    said.put("channel", report.channel());
    said.put("serviceType", report.serviceType());
    said.put("symptom", report.symptom());
    if (report.customerRef() != null) {
      said.put("customerRef", report.customerRef());
    }
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        actor,
        "customer_report",
        null,
        null,
        "the customer reported it by " + report.channel() + ": " + report.symptom(),
        said);
    Outbox.append(c, ticketId, Outbox.CUSTOMER_REPORTED, now, Map.of("report", said));
    return ticketId;
  }

  long open(Connection c, ReportedCase report, String actor, Instant now) throws SQLException {
    DeviceFacts device = DeviceFacts.UNKNOWN;
    if (report.deviceId() != null) {
      device = facts(c, report.deviceId());
      Episodes.lockDevice(c, report.deviceId());
    }
    Priority priority =
        priorities.priorityOf(REPORTED_SEVERITY, device.type(), device.customerTier());
    String reason = report.serviceType() + " reported by " + report.channel();
    TicketEvidence evidence =
        new TicketEvidence(
            null,
            null,
            null,
            null,
            List.of(),
            report.deviceId() == null ? null : device.toEvidence(now, warrantyMonths),
            null,
            report.deviceId() == null ? null : report.diagnosticSessions());
    long ticketId;
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO tickets (device_id, severity, priority, status, device_type,"
                + " customer_ref, customer_tier, reason, evidence, opened_at, updated_at, source,"
                + " intake_channel, service_type, symptom) VALUES (?, ?, ?, 'open', ?, ?, ?, ?,"
                + " ?::jsonb, ?, ?, 'reported', ?, ?, ?) RETURNING id")) {
      insert.setString(1, report.deviceId());
      insert.setString(2, REPORTED_SEVERITY.wireName());
      insert.setString(3, priority.wireName());
      insert.setString(4, device.type());
      insert.setString(
          5, report.customerRef() == null ? device.customerRef() : report.customerRef());
      insert.setString(6, device.customerTier());
      insert.setString(7, reason);
      insert.setString(8, BridgeJson.write(evidence));
      insert.setTimestamp(9, Timestamp.from(now));
      insert.setTimestamp(10, Timestamp.from(now));
      insert.setString(11, report.channel());
      insert.setString(12, report.serviceType());
      insert.setString(13, report.symptom());
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        ticketId = rs.getLong(1);
      }
    }
    TicketStore.appendTimeline(
        c, ticketId, now, actor, "transition", null, TicketStatus.OPEN, reason, null);
    if (report.deviceId() != null) {
      linkOpenAlarms(c, ticketId, report.deviceId(), actor, now);
    }
    Outbox.append(c, ticketId, Outbox.OPENED, now);
    return ticketId;
  }

  private static DeviceFacts facts(Connection c, String deviceId) throws SQLException {
    return DeviceFacts.find(c, deviceId)
        .orElseThrow(
            () ->
                new BridgeException(
                    BridgeException.Kind.NOT_FOUND, "'deviceId' names no device: " + deviceId));
  }

  /** Links the device's alarms not yet cleared, read from the platform's {@code alarms} table. */
  private static void linkOpenAlarms(
      Connection c, long ticketId, String deviceId, String actor, Instant now) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, rule_id FROM alarms WHERE device_id = ? AND status <> 'cleared'"
                + " ORDER BY id")) {
      select.setString(1, deviceId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          long alarmId = rs.getLong("id");
          String ruleId = rs.getString("rule_id");
          Episodes.link(c, ticketId, alarmId, ruleId, now);
          TicketStore.appendTimeline(
              c,
              ticketId,
              now,
              actor,
              "alarm_linked",
              null,
              null,
              "open alarm " + alarmId + " (rule " + ruleId + ") linked to the reported case",
              null);
        }
      }
    }
  }
}
