package io.aftercare.bridge;

import java.time.Instant;
import java.util.List;

/**
 * The KPIs of the cases opened in [{@code from}, {@code to}), overall and, with a {@code groupBy},
 * per group.
 *
 * @param groupBy null without a breakdown (and {@code groups} empty)
 */
public record KpiReport(
    Instant from, Instant to, KpiDimension groupBy, Kpis overall, List<Group> groups) {

  /**
   * The KPIs of the cases that share one value of the dimension.
   *
   * @param key null for the cases without a value (no rule, no owner, ...)
   */
  public record Group(String key, Kpis kpis) {}
}
