package io.aftercare.bridge;

import java.time.LocalDate;
import java.util.List;

/**
 * The KPIs of the cases opened on each day in [{@code from}, {@code to}), days in the business
 * calendar's zone, for charts. Every day of the range is listed, with or without cases.
 */
public record KpiSeries(
    LocalDate from, LocalDate to, String zone, KpiDimension groupBy, List<Day> days) {

  /**
   * @param groups with a {@code groupBy}: the day's groups that have cases
   */
  public record Day(LocalDate day, Kpis overall, List<KpiReport.Group> groups) {}
}
