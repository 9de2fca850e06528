package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * A ticket with its SLA clocks at the time of asking, its whole timeline, the alarms of its fault
 * episode, how often it was reopened, its appointments and part requests (docs/dispatch.md), and
 * the customer's side: quotes, acceptance, follow-up and satisfaction by source.
 */
public record TicketDetail(
    @JsonUnwrapped Ticket ticket,
    SlaClocks.Clocks sla,
    List<TimelineEntry> timeline,
    List<Episodes.LinkedAlarm> alarms,
    int reopenCount,
    List<Appointment> appointments,
    List<PartRequest> partRequests,
    @JsonUnwrapped CustomerSide customer) {}
