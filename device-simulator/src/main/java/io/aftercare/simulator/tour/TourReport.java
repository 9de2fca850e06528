package io.aftercare.simulator.tour;

import java.util.List;

/**
 * What the service-desk tour got back from the platform, step by step; a step that failed leaves
 * its fields {@code null} and says why in {@link #failures}.
 *
 * @param lockTicketId (a) the jammed lock's ticket
 * @param lockTicketRules (a) the rules of the alarms linked to it
 * @param ticketsLinkingLockAlarms (a) how many tickets the platform opened hold the lock's two
 *     alarms: 1 when one fault made one case
 * @param reportedCaseId (b) the customer-reported case
 * @param reportedCaseAlarmIds (b) the open alarms of its device linked into it
 * @param quoteId (c) the quote sent for the out-of-warranty repair
 * @param quoteStatus (c) the quote's status after the customer's decision
 * @param workStatus (c) the repair ticket's status after the start of work was asked for again
 * @param complaintId (d) the complaint
 * @param complaintClockState (d) its response clock's state ({@code running} while unanswered)
 * @param seriesDays (e) the days in the KPI series
 * @param ticketsOpenedToday (e) the series' tickets opened on its first day
 * @param lockRefusedWithoutConsent (f) the status of the lock command before the owner's session
 *     (403)
 * @param lockCommandInSession (f) the lock command accepted within the session
 * @param sessionActivity (f) the actions the owner saw in the session's activity
 * @param lockRefusedAfterRevocation (f) the status of the lock command after the owner revoked the
 *     session (403)
 * @param failures one line per step that could not be completed
 */
public record TourReport(
    Long lockTicketId,
    List<String> lockTicketRules,
    Integer ticketsLinkingLockAlarms,
    Long reportedCaseId,
    List<Long> reportedCaseAlarmIds,
    Long quoteId,
    String quoteStatus,
    String workStatus,
    Long complaintId,
    String complaintClockState,
    Integer seriesDays,
    Integer ticketsOpenedToday,
    Integer lockRefusedWithoutConsent,
    String lockCommandInSession,
    Integer sessionActivity,
    Integer lockRefusedAfterRevocation,
    List<String> failures) {

  public boolean complete() {
    return failures.isEmpty();
  }
}
