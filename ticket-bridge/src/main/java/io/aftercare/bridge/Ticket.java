package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A service ticket as stored. It names the customer by reference only; no personal data is kept.
 *
 * @param tier support line working the case: 1, 2 or 3
 * @param owner first-contact owner: who acknowledged the case; stays through escalation
 * @param channel how the repair is done: remote or on_site (set at dispatch)
 * @param externalRef the helpdesk's own key for the case (e.g. a Jira issue key), once known
 * @param source detected (opened for an alarm) or reported (opened by staff for a customer)
 * @param intakeChannel, serviceType, symptom what the customer reported; null for detected cases
 * @param archivedAt when the archive job filed the case away; null unless {@code archived}
 * @param archivedFrom the case's outcome, closed or cancelled; null unless {@code archived}
 * @param nextDeadline when the first of its running SLA clocks falls due; null when none runs
 * @param nextClock that clock: response, arrangement or repair; null when none runs
 */
public record Ticket(
    long id,
    String deviceId,
    String ruleId,
    Category category,
    Severity severity,
    Priority priority,
    TicketStatus status,
    String deviceType,
    String customerRef,
    String customerTier,
    int tier,
    String owner,
    String assignee,
    String channel,
    Integer satisfaction,
    String reason,
    String externalRef,
    Instant openedAt,
    Instant updatedAt,
    TicketEvidence evidence,
    String source,
    String intakeChannel,
    String serviceType,
    String symptom,
    Instant archivedAt,
    TicketStatus archivedFrom,
    @JsonInclude(JsonInclude.Include.ALWAYS) Instant nextDeadline,
    @JsonInclude(JsonInclude.Include.ALWAYS) String nextClock) {

  /** The same ticket with its next deadline as computed now, rather than as stored. */
  Ticket withNext(SlaDeadlines.Next next) {
    return with(status, next.deadline(), next.clock());
  }

  /**
   * The case as its outcome reads: an archived case as the closed or cancelled case it was, for the
   * KPIs, which count outcomes and not where a record is filed.
   */
  Ticket outcome() {
    return status == TicketStatus.ARCHIVED ? with(archivedFrom, nextDeadline, nextClock) : this;
  }

  private Ticket with(TicketStatus status, Instant nextDeadline, String nextClock) {
    return new Ticket(
        id,
        deviceId,
        ruleId,
        category,
        severity,
        priority,
        status,
        deviceType,
        customerRef,
        customerTier,
        tier,
        owner,
        assignee,
        channel,
        satisfaction,
        reason,
        externalRef,
        openedAt,
        updatedAt,
        evidence,
        source,
        intakeChannel,
        serviceType,
        symptom,
        archivedAt,
        archivedFrom,
        nextDeadline,
        nextClock);
  }
}
