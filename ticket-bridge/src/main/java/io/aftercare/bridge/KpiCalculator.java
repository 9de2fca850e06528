package io.aftercare.bridge;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Computes the KPIs of cases (tickets and remote fixes without one) and of the complaints that name
 * no case, overall, per group and per day; no database, so it is testable on its own.
 */
final class KpiCalculator {

  /** Groups in key order, the cases without a key last. */
  private static final Comparator<String> KEYS = Comparator.nullsLast(Comparator.naturalOrder());

  private final SlaClocks clocks;
  private final WorkingDays workingDays;

  KpiCalculator(SlaClocks clocks, WorkingDays workingDays) {
    this.clocks = clocks;
    this.workingDays = workingDays;
  }

  /**
   * Cases of one period and group, added up.
   *
   * @param period the day's index in a series (0 for the first day); 0 in a report
   * @param groupKey their key in the breakdown asked for; null without one (or without a value)
   */
  record Tallied(int period, String groupKey, KpiTally tally) {}

  /**
   * @param groupBy null for the overall figures only
   * @param complaintsWithoutCase when each complaint that names no case was received
   */
  KpiReport report(
      Instant from,
      Instant to,
      KpiDimension groupBy,
      List<CaseOutcome.Sample> samples,
      List<RemoteFixes.Fix> fixes,
      List<Instant> complaintsWithoutCase,
      Instant now) {
    List<Tallied> cases = new ArrayList<>();
    for (CaseOutcome.Sample sample : samples) {
      cases.add(tallied(0, groupBy, sample, now));
    }
    return report(
        from, to, groupBy, cases, fixes.size(), fixesByKey(groupBy, fixes), complaintsWithoutCase);
  }

  /**
   * The report over cases already added up (their outcomes kept, {@link KeptOutcomes}).
   *
   * @param fixesByKey the remote fixes per group key; all under the key null without a breakdown
   */
  KpiReport report(
      Instant from,
      Instant to,
      KpiDimension groupBy,
      List<Tallied> cases,
      int fixes,
      Map<String, Integer> fixesByKey,
      List<Instant> complaintsWithoutCase) {
    return new KpiReport(
        from,
        to,
        groupBy,
        tally(cases, fixes, complaintsWithoutCase).kpis(),
        groups(groupBy, cases, fixesByKey, complaintsWithoutCase));
  }

  /** The cases opened on each day of [from, to) in the calendar's zone. */
  KpiSeries series(
      LocalDate from,
      LocalDate to,
      KpiDimension groupBy,
      List<CaseOutcome.Sample> samples,
      List<RemoteFixes.Fix> fixes,
      List<Instant> complaintsWithoutCase,
      Instant now) {
    Map<LocalDate, List<RemoteFixes.Fix>> fixesByDay = byKey(fixes, fix -> day(fix.raisedAt()));
    Map<LocalDate, Map<String, Integer>> fixCounts = new HashMap<>();
    fixesByDay.forEach((day, dayFixes) -> fixCounts.put(day, fixesByKey(groupBy, dayFixes)));
    long days = ChronoUnit.DAYS.between(from, to);
    List<Tallied> cases = new ArrayList<>();
    for (CaseOutcome.Sample sample : samples) {
      long period = ChronoUnit.DAYS.between(from, day(sample.ticket().openedAt()));
      if (period >= 0 && period < days) {
        cases.add(tallied((int) period, groupBy, sample, now));
      }
    }
    return series(from, to, groupBy, cases, fixCounts, complaintsWithoutCase);
  }

  /**
   * The same series from cases already added up per day and group, and the remote fixes already
   * counted (in the database) per day and group.
   *
   * @param cases the period of each is the index of its day, from {@code from}
   * @param fixCounts per day, the remote fixes per group key ({@link KpiDimension#of(
   *     RemoteFixes.Fix)}; the key null holds them all without a breakdown)
   */
  KpiSeries series(
      LocalDate from,
      LocalDate to,
      KpiDimension groupBy,
      List<Tallied> cases,
      Map<LocalDate, Map<String, Integer>> fixCounts,
      List<Instant> complaintsWithoutCase) {
    Map<Integer, List<Tallied>> casesByPeriod = byKey(cases, Tallied::period);
    Map<LocalDate, List<Instant>> complaintsByDay = byKey(complaintsWithoutCase, this::day);
    List<KpiSeries.Day> days = new ArrayList<>();
    int period = 0;
    for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1), period++) {
      List<Tallied> dayCases = casesByPeriod.getOrDefault(period, List.of());
      // Not Map.of(): the group without a key is looked up by null.
      Map<String, Integer> dayFixes = fixCounts.getOrDefault(day, Collections.emptyMap());
      int fixesOfDay = dayFixes.values().stream().mapToInt(Integer::intValue).sum();
      List<Instant> dayComplaints = complaintsByDay.getOrDefault(day, List.of());
      days.add(
          new KpiSeries.Day(
              day,
              tally(dayCases, fixesOfDay, dayComplaints).kpis(),
              groups(groupBy, dayCases, dayFixes, dayComplaints)));
    }
    return new KpiSeries(from, to, workingDays.zone().getId(), groupBy, days);
  }

  /** One case as the KPIs count it at {@code now}. */
  private Tallied tallied(
      int period, KpiDimension groupBy, CaseOutcome.Sample sample, Instant now) {
    KpiTally tally = new KpiTally();
    tally.add(CaseOutcome.of(sample, clocks, workingDays, now));
    return new Tallied(period, groupBy == null ? null : groupBy.of(sample.ticket()), tally);
  }

  /**
   * A complaint that names no case has no device, rule or assignee either: it falls into the group
   * without a key, whatever the dimension.
   */
  private static List<KpiReport.Group> groups(
      KpiDimension groupBy,
      List<Tallied> cases,
      Map<String, Integer> fixesByKey,
      List<Instant> complaintsWithoutCase) {
    if (groupBy == null) {
      return List.of();
    }
    Map<String, List<Tallied>> casesByKey = byKey(cases, Tallied::groupKey);
    Set<String> keys = new HashSet<>(casesByKey.keySet());
    keys.addAll(fixesByKey.keySet());
    if (!complaintsWithoutCase.isEmpty()) {
      keys.add(null);
    }
    List<String> ordered = new ArrayList<>(keys);
    ordered.sort(KEYS);
    List<KpiReport.Group> groups = new ArrayList<>();
    for (String key : ordered) {
      groups.add(
          new KpiReport.Group(
              key,
              tally(
                      casesByKey.getOrDefault(key, List.of()),
                      fixesByKey.getOrDefault(key, 0),
                      key == null ? complaintsWithoutCase : List.of())
                  .kpis()));
    }
    return groups;
  }

  /** How many fixes each group holds; all under the key null without a breakdown. */
  static Map<String, Integer> fixesByKey(KpiDimension groupBy, List<RemoteFixes.Fix> fixes) {
    Map<String, Integer> counts = new HashMap<>();
    for (RemoteFixes.Fix fix : fixes) {
      counts.merge(groupBy == null ? null : groupBy.of(fix), 1, Integer::sum);
    }
    return counts;
  }

  private static KpiTally tally(
      List<Tallied> cases, int remoteFixes, List<Instant> complaintsWithoutCase) {
    KpiTally tally = new KpiTally();
    cases.forEach(tallied -> tally.add(tallied.tally()));
    tally.addRemoteFixes(remoteFixes);
    complaintsWithoutCase.forEach(received -> tally.addComplaintWithoutCase());
    return tally;
  }

  private LocalDate day(Instant at) {
    return LocalDate.ofInstant(at, workingDays.zone());
  }

  /** Items by key; a null key (a case without a value) is a key like any other. */
  private static <K, T> Map<K, List<T>> byKey(List<T> items, Function<T, K> key) {
    Map<K, List<T>> grouped = new HashMap<>();
    for (T item : items) {
      grouped.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
    }
    return grouped;
  }
}
