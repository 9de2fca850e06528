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
  private final SealedText sealed;

  CaseIntake(PriorityMatrix priorities, int warrantyMonths, SealedText sealed) {
    this.priorities = priorities;
    this.warrantyMonths = warrantyMonths;
    this.sealed = sealed;
  }

  /** What a report became: the case's id, and whether it joined one already being worked. */
  record Taken(long ticketId, boolean joined) {}

  /**
   * Takes in a customer's report: it joins the case being worked for one of its device's alarms not
   * yet cleared (one case per fault episode), or opens a new case. The device is read and its
   * tickets locked once, so that no alarm request opens a ticket meanwhile.
   */
  Taken take(Connection c, ReportedCase report, String actor, Instant now) throws SQLException {
    if (report.deviceId() == null) {
      return new Taken(open(c, report, DeviceFacts.UNKNOWN, actor, now), false);
    }
    DeviceFacts device =
        DeviceFacts.find(c, report.deviceId(), sealed)
            .orElseThrow(
                () ->
                    new BridgeException(
                        BridgeException.Kind.NOT_FOUND,
                        "'deviceId' names no device: " + report.deviceId()));
    Episodes.lockDevice(c, report.deviceId());
    Optional<Long> working = caseOfTheSameFault(c, report.deviceId());
    return working.isPresent()
        ? new Taken(join(c, working.get(), report, actor, now), true)
        : new Taken(open(c, report, device, actor, now), false);
  }

  /** The case being worked for one of the device's alarms not yet cleared, if any. */
  private static Optional<Long> caseOfTheSameFault(Connection c, String deviceId)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT t.id FROM tickets t JOIN ticket_alarms l ON l.ticket_id = t.id"
                + " JOIN alarms a ON a.id = l.alarm_id WHERE t.device_id = ?"
                + " AND a.status <> 'cleared' AND t.status IN ('open', 'acknowledged',"
                + " 'dispatched', 'in_progress', 'awaiting_parts') ORDER BY t.id LIMIT 1")) {
      select.setString(1, deviceId);
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
  private static long join(
      Connection c, long ticketId, ReportedCase report, String actor, Instant now)
      throws SQLException {
    Map<String, Object> said = new LinkedHashMap<>();
    said.put("channel", report.channel());
    said.put("serviceType", report.serviceType());
    said.put("symptom", report.symptom());
    if (report.customerRef() != null) {
      said.put("customerRef", report.customerRef());
    }
    // The timeline keeps the customer's reference and words sealed (V97, V99); the helpdesk's
    // event carries them in clear, as every event does, and is itself sealed in the outbox.
    Map<String, Object> recorded = new LinkedHashMap<>(said);
    for (String member : TicketStore.CUSTOMER_REPORT_SEALED) {
      recorded.computeIfPresent(member, (name, value) -> DeskKey.current().seal((String) value));
    }
    TicketStore.appendTimeline(
        c,
        ticketId,
        now,
        actor,
        TicketStore.CUSTOMER_REPORT,
        null,
        null,
        DeskKey.current()
            .seal("the customer reported it by " + report.channel() + ": " + report.symptom()),
        recorded);
    Outbox.append(c, ticketId, Outbox.CUSTOMER_REPORTED, now, Map.of("report", said));
    return ticketId;
  }

  private long open(
      Connection c, ReportedCase report, DeviceFacts device, String actor, Instant now)
      throws SQLException {
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
                + " intake_channel, service_type, symptom, customer_ref_index) VALUES (?, ?, ?, 'open',"
                + " ?, ?, ?, ?, ?::jsonb, ?, ?, 'reported', ?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, report.deviceId());
      insert.setString(2, REPORTED_SEVERITY.wireName());
      insert.setString(3, priority.wireName());
      insert.setString(4, device.type());
      String customerRef =
          report.customerRef() == null ? device.customerRef() : report.customerRef();
      insert.setString(5, DeskKey.current().seal(customerRef));
      insert.setString(6, device.customerTier());
      insert.setString(7, reason);
      insert.setString(8, BridgeJson.write(evidence));
      insert.setTimestamp(9, Timestamp.from(now));
      insert.setTimestamp(10, Timestamp.from(now));
      insert.setString(11, report.channel());
      insert.setString(12, report.serviceType());
      insert.setString(13, DeskKey.current().seal(report.symptom()));
      insert.setString(14, DeskKey.current().index(customerRef));
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
