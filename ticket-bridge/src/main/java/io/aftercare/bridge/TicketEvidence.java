package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Why a ticket exists, as the diagnostics saw it: the rule and alarm, a summary of the telemetry
 * around the fault, the remote actions tried with their results and the diagnosis. The bridge adds
 * the device and its warranty when it opens the ticket. Stored as JSON ({@code evidence} of {@code
 * ticket_requests} and {@code tickets}) and sent to helpdesks in {@code ticket.opened}; the shape
 * is documented in docs/tickets.md.
 *
 * @param device set by the bridge when the ticket is opened; null in a request
 * @param alarmId set by the bridge from the request's alarm; null in a request
 * @param diagnosticSessions a customer-reported case's recent diagnostic sessions of its device,
 *     gathered by the platform; null for a detected fault
 */
public record TicketEvidence(
    Rule rule,
    Alarm alarm,
    Category diagnosis,
    TelemetryWindow telemetryWindow,
    List<RemoteAction> remoteActions,
    Device device,
    Long alarmId,
    List<DiagnosticSession> diagnosticSessions) {

  /** What the diagnostics send with a request: everything but what the bridge adds. */
  public static TicketEvidence of(
      Rule rule,
      Alarm alarm,
      Category diagnosis,
      TelemetryWindow telemetryWindow,
      List<RemoteAction> remoteActions) {
    return new TicketEvidence(
        rule, alarm, diagnosis, telemetryWindow, List.copyOf(remoteActions), null, null, null);
  }

  /** This evidence as the ticket records it: with the device and the request's alarm. */
  TicketEvidence forTicket(Device device, Long alarmId) {
    return new TicketEvidence(
        rule, alarm, diagnosis, telemetryWindow, remoteActions, device, alarmId, null);
  }

  /** The rule that raised the alarm. */
  public record Rule(String id, String description, Category category) {}

  /**
   * The alarm as it stood when the ticket was requested. The values are written even when absent
   * (null): a rule on an event has none, and readers see that rather than a missing field.
   */
  public record Alarm(
      long id,
      Severity severity,
      String status,
      Instant raisedAt,
      Instant lastSeenAt,
      long count,
      @JsonInclude(JsonInclude.Include.ALWAYS) Double lastValue,
      @JsonInclude(JsonInclude.Include.ALWAYS) Double peakValue) {}

  /**
   * The device's telemetry from before the fault until the request.
   *
   * @param from the start of the window, or the oldest document summarised when it was capped
   * @param metrics per metric name, in name order
   */
  public record TelemetryWindow(Instant from, Instant to, Map<String, MetricSummary> metrics) {}

  /** One metric over the window: not the raw points. */
  public record MetricSummary(double min, double max, double avg, long count, double last) {}

  /**
   * One remote fix tried, with what came of it.
   *
   * @param status the command's status; null when no command row exists (written as null)
   * @param output the device's own result document, as it sent it; null when there is none. For a
   *     skipped playbook step ({@code status: skipped}), why, with the readings it was checked on
   * @param step the playbook step this action was, or null (left out) for a plain remedy
   */
  public record RemoteAction(
      String command,
      String commandId,
      @JsonInclude(JsonInclude.Include.ALWAYS) String status,
      Instant at,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode output,
      String step) {

    @JsonCreator
    public RemoteAction {}

    /** A plain remedy's action: no playbook step. */
    public RemoteAction(
        String command, String commandId, String status, Instant at, JsonNode output) {
      this(command, commandId, status, at, output, null);
    }
  }

  /**
   * An on-demand diagnostic session of the device (the platform's {@code diagnostic_sessions}).
   *
   * @param status running, completed or failed
   * @param completedAt null while it runs
   * @param report the session's report as the platform wrote it; null while it runs
   */
  public record DiagnosticSession(
      String id, String status, Instant startedAt, Instant completedAt, JsonNode report) {}

  /** The device as the ticket records it. */
  public record Device(String type, String model, String firmware, Warranty warranty) {}

  /**
   * @param status in_warranty, out_of_warranty or unknown (no sale date)
   * @param soldOn null when unknown
   * @param until sale date plus the warranty period; null when unknown
   */
  public record Warranty(String status, LocalDate soldOn, LocalDate until) {}
}
