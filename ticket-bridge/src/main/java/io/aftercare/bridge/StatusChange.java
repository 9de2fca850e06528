package io.aftercare.bridge;

import java.time.Instant;

/** A ticket entering a state at a time: what the SLA clocks are computed from. */
public record StatusChange(TicketStatus to, Instant at) {}
