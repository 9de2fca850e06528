package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/** A ticket with its SLA clocks at the time of asking and its whole timeline. */
public record TicketDetail(
    @JsonUnwrapped Ticket ticket, SlaClocks.Clocks sla, List<TimelineEntry> timeline) {}
