package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * A ticket with its SLA clocks at the time of asking, its whole timeline, the alarms of its fault
 * episode, how often it was reopened, and its appointments and part requests (docs/dispatch.md).
 */
public record TicketDetail(
    @JsonUnwrapped Ticket ticket,
    SlaClocks.Clocks sla,
    List<TimelineEntry> timeline,
    List<Episodes.LinkedAlarm> alarms,
    int reopenCount,
    List<Appointment> appointments,
    List<PartRequest> partRequests) {}
