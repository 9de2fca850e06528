package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * An incident with its clocks at the time of asking, the tickets linked to it and its whole
 * timeline.
 */
public record IncidentDetail(
    @JsonUnwrapped Incident incident,
    IncidentClocks.Clocks clocks,
    List<Long> ticketIds,
    List<DeskEntry> timeline) {}
