package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * A complaint with its response clock at the time of asking and its whole append-only record
 * (investigation notes, response, resolution, confirmation, clock steps).
 */
public record ComplaintDetail(
    @JsonUnwrapped Complaint complaint, SlaClock responseClock, List<DeskEntry> record) {}
