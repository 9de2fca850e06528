package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The after-sales KPIs as blocking calls for worker threads: over the cases opened in a range (and
 * the complaints about no case received in it), and as a daily series. The platform supplies the
 * faults it fixed remotely without a ticket.
 */
public final class KpiService {

  private static final Duration DEFAULT_RANGE = Duration.ofDays(30);
  private static final int DEFAULT_SERIES_DAYS = 30;

  /** A year and a day: enough for any chart, small enough for one answer. */
  static final int MAX_SERIES_DAYS = 366;

  private final Tx tx;
  private final Clock clock;
  private final KpiCalculator calculator;
  private final KeptOutcomes outcomes;
  private final ZoneId zone;
  private final Duration reopenWindow;

  KpiService(
      Tx tx,
      Clock clock,
      KpiCalculator calculator,
      KeptOutcomes outcomes,
      ZoneId zone,
      Duration reopenWindow) {
    this.tx = tx;
    this.clock = clock;
    this.calculator = calculator;
    this.outcomes = outcomes;
    this.zone = zone;
    this.reopenWindow = reopenWindow;
  }

  /**
   * The KPIs of the cases opened in [from, to), the last 30 days by default.
   *
   * @param from null for 30 days before {@code to}
   * @param to null for now
   * @param groupBy a {@link KpiDimension} name, or null for no breakdown
   */
  public KpiReport report(Instant from, Instant to, String groupBy, RemoteFixes remoteFixes) {
    KpiDimension dimension = dimension(groupBy);
    Instant now = clock.instant();
    Instant end = to == null ? now : to;
    Instant start = from == null ? end.minus(DEFAULT_RANGE) : from;
    if (!start.isBefore(end)) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'from' must be before 'to'");
    }
    return tx.run(
        c -> {
          List<RemoteFixes.Fix> fixes = remoteFixes.detectedBetween(c, start, end);
          return calculator.report(
              start,
              end,
              dimension,
              outcomes.talliedPer(c, List.of(start, end), reopenWindow, dimension, now),
              fixes.size(),
              KpiCalculator.fixesByKey(dimension, fixes),
              KpiStore.complaintsWithoutCase(c, start, end));
        });
  }

  /**
   * The KPIs of the cases opened on each day of [from, to) in the calendar's zone; by default the
   * 30 days up to and including today.
   */
  public KpiSeries series(LocalDate from, LocalDate to, String groupBy, RemoteFixes remoteFixes) {
    KpiDimension dimension = dimension(groupBy);
    Instant now = clock.instant();
    LocalDate end = to == null ? LocalDate.ofInstant(now, zone).plusDays(1) : to;
    LocalDate start = from == null ? end.minusDays(DEFAULT_SERIES_DAYS) : from;
    if (!start.isBefore(end)) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'from' must be before 'to'");
    }
    if (ChronoUnit.DAYS.between(start, end) > MAX_SERIES_DAYS) {
      throw new BridgeException(
          BridgeException.Kind.INVALID,
          "'to' must be at most " + MAX_SERIES_DAYS + " days after 'from'");
    }
    List<Instant> dayBounds = bounds(start, end);
    return tx.run(
        c -> {
          return calculator.series(
              start,
              end,
              dimension,
              outcomes.talliedPer(c, dayBounds, reopenWindow, dimension, now),
              fixCounts(c, remoteFixes, start, end, dimension),
              KpiStore.complaintsWithoutCase(
                  c, dayBounds.get(0), dayBounds.get(dayBounds.size() - 1)));
        });
  }

  /** When each day of [from, to) begins in the calendar's zone, and when the last one ends. */
  private List<Instant> bounds(LocalDate from, LocalDate to) {
    return from.datesUntil(to.plusDays(1)).map(day -> day.atStartOfDay(zone).toInstant()).toList();
  }

  /** The remote fixes counted in the database per day of [from, to) and per group. */
  private Map<LocalDate, Map<String, Integer>> fixCounts(
      Connection c, RemoteFixes remoteFixes, LocalDate from, LocalDate to, KpiDimension dimension)
      throws SQLException {
    List<LocalDate> days = from.datesUntil(to.plusDays(1)).toList();
    List<Instant> bounds = bounds(from, to);
    Map<LocalDate, Map<String, Integer>> counts = new HashMap<>();
    for (RemoteFixes.Count count : remoteFixes.countedPer(c, bounds, dimension)) {
      counts
          .computeIfAbsent(days.get(count.period()), day -> new HashMap<>())
          .put(count.key(), count.fixes());
    }
    return counts;
  }

  private static KpiDimension dimension(String groupBy) {
    return groupBy == null ? null : KpiDimension.fromWireName(groupBy);
  }
}
