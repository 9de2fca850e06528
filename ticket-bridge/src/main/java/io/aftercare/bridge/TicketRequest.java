package io.aftercare.bridge;

import java.util.Objects;

/**
 * A request for a service ticket: a fault the remote fixes could not clear (or had none for).
 *
 * @param reason one line for people, e.g. "compressor stalled, remote restart failed"
 */
public record TicketRequest(Fault fault, String reason, TicketEvidence evidence) {

  public TicketRequest {
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(evidence, "evidence");
  }

  /**
   * The fault a request is about. Alarms of the same device and category share one ticket (a fault
   * episode, docs/tickets.md): later requests join it, add evidence to it or reopen it.
   *
   * @param alarmId the alarm that raised it, in the platform's alarm list
   */
  public record Fault(
      String deviceId, long alarmId, String ruleId, Category category, Severity severity) {

    public Fault {
      Objects.requireNonNull(deviceId, "deviceId");
      Objects.requireNonNull(ruleId, "ruleId");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(severity, "severity");
    }
  }
}
