package io.aftercare.bridge;

import java.time.Instant;
import java.util.Map;

/**
 * The after-sales KPIs over tickets opened in [{@code from}, {@code to}); definitions in
 * docs/tickets.md. Rates are 0..1 and {@code null} when nothing was measured.
 */
public record Kpis(
    Instant from,
    Instant to,
    int ticketsOpened,
    int responded,
    Double responseTimelinessRate,
    Times responseTimeSeconds,
    int resolved,
    Times repairTimeSeconds,
    Double remoteResolutionRate,
    Double firstTimeFixRate,
    Breaches slaBreaches,
    int cancelled,
    Double meanSatisfaction,
    Map<String, Integer> ticketsByDeviceType) {

  /** Mean and nearest-rank percentiles, in seconds; {@code null} when there are no samples. */
  public record Times(int count, Double mean, Long p50, Long p90, Long p95) {}

  /** Tickets whose response or repair clock went past its target. */
  public record Breaches(int response, int repair) {}
}
