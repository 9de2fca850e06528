package io.aftercare.bridge;

import java.util.Map;

/**
 * The after-sales KPIs of a set of cases (all cases opened in a range, one group of them, or one
 * day's); definitions in docs/tickets.md. Rates are 0..1 and {@code null} when nothing was
 * measured.
 *
 * @param ticketsOpened tickets opened
 * @param remoteFixesWithoutTicket faults fixed remotely that never needed a ticket
 * @param complaintsWithoutCase complaints received (in the range) that name no case: not in the
 *     complaint rate, which is per case served
 * @param timeliness one rate per SLA clock, by clock name ({@code response}, {@code repair})
 * @param shares the share KPIs, by name (first-time fix, remote resolution, complaint, ...)
 */
public record Kpis(
    int ticketsOpened,
    int remoteFixesWithoutTicket,
    int complaintsWithoutCase,
    int cancelled,
    int resolved,
    Map<String, Timeliness> timeliness,
    Map<String, Share> shares,
    Satisfaction satisfaction) {

  /**
   * Cases whose clock reached its end within the target, or went past it (ended or not); a clock
   * still under its target is pending, and a case cancelled under it is not counted.
   *
   * @param rate onTime ÷ (onTime + late)
   * @param timeSeconds the counted time of the clocks that reached their end
   */
  public record Timeliness(int onTime, int late, int pending, Double rate, Times timeSeconds) {}

  /** Mean and nearest-rank percentiles, in seconds; {@code null} when there are no samples. */
  public record Times(int count, Double mean, Long p50, Long p90, Long p95) {}

  /** {@code count} of {@code of} cases, and the rate. */
  public record Share(int count, int of, Double rate) {}

  /**
   * Satisfaction scores (1..5), the latest per case of each source. The headline {@code count},
   * {@code mean} and {@code median} are the customer's own ratings; what staff entered is reported
   * apart and never mixed in.
   */
  public record Satisfaction(int count, Double mean, Double median, Scores customer, Scores staff) {

    static Satisfaction of(Scores customer, Scores staff) {
      return new Satisfaction(
          customer.count(), customer.mean(), customer.median(), customer, staff);
    }
  }

  /**
   * Count, mean and median of scores; the median of an even count is the mean of the middle two.
   */
  public record Scores(int count, Double mean, Double median) {}
}
