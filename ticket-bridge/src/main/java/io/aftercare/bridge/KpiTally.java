package io.aftercare.bridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds up case outcomes, remote fixes and complaints without a case into {@link Kpis}; one tally
 * per group or day.
 */
final class KpiTally {

  private int tickets;
  private int remoteFixes;
  private int complaintsWithoutCase;
  private int cancelled;
  private int resolved;
  private final Map<String, ClockTally> clocks = new LinkedHashMap<>();
  private int firstTimeFixes;
  private int remoteResolved;
  private int handledOnTime;
  private int handledLate;
  private int repeats;
  private int complained;
  private final List<Integer> customerScores = new ArrayList<>();
  private final List<Integer> staffScores = new ArrayList<>();

  KpiTally() {
    for (CaseOutcome.TimelinessClock clock : CaseOutcome.TIMELINESS) {
      clocks.put(clock.name(), new ClockTally());
    }
  }

  void add(CaseOutcome outcome) {
    tickets++;
    outcome.clocks().forEach((name, clock) -> clocks.get(name).add(clock));
    if (outcome.cancelled()) {
      cancelled++;
    }
    if (outcome.resolved()) {
      resolved++;
    }
    if (outcome.firstTimeFix()) {
      firstTimeFixes++;
    }
    if (outcome.remote()) {
      remoteResolved++;
    }
    if (outcome.handled() == CaseOutcome.Verdict.ON_TIME) {
      handledOnTime++;
    } else if (outcome.handled() == CaseOutcome.Verdict.LATE) {
      handledLate++;
    }
    if (outcome.repeat()) {
      repeats++;
    }
    CaseOutcome.Feedback feedback = outcome.feedback();
    if (feedback.complained()) {
      complained++;
    }
    if (feedback.customerScore() != null) {
      customerScores.add(feedback.customerScore());
    }
    if (feedback.staffScore() != null) {
      staffScores.add(feedback.staffScore());
    }
  }

  /**
   * Cases added up elsewhere (in the database, {@link KeptOutcomes}) as {@link #add(CaseOutcome)}
   * adds them one by one.
   *
   * @param clocks per timeliness clock, by name
   */
  record Counted(
      int tickets,
      int cancelled,
      int resolved,
      int firstTimeFixes,
      int remoteResolved,
      int handledOnTime,
      int handledLate,
      int repeats,
      int complained,
      List<Integer> customerScores,
      List<Integer> staffScores,
      Map<String, CountedClock> clocks) {}

  /**
   * One clock over cases added up elsewhere.
   *
   * @param seconds the counted time of each clock that reached its end, in whole seconds
   */
  record CountedClock(int onTime, int late, int pending, List<Long> seconds) {}

  void add(Counted counted) {
    tickets += counted.tickets();
    cancelled += counted.cancelled();
    resolved += counted.resolved();
    firstTimeFixes += counted.firstTimeFixes();
    remoteResolved += counted.remoteResolved();
    handledOnTime += counted.handledOnTime();
    handledLate += counted.handledLate();
    repeats += counted.repeats();
    complained += counted.complained();
    customerScores.addAll(counted.customerScores());
    staffScores.addAll(counted.staffScores());
    counted.clocks().forEach((name, clock) -> clocks.get(name).add(clock));
  }

  /** Adds up another tally's cases, remote fixes and complaints with these. */
  void add(KpiTally other) {
    tickets += other.tickets;
    remoteFixes += other.remoteFixes;
    complaintsWithoutCase += other.complaintsWithoutCase;
    cancelled += other.cancelled;
    resolved += other.resolved;
    firstTimeFixes += other.firstTimeFixes;
    remoteResolved += other.remoteResolved;
    handledOnTime += other.handledOnTime;
    handledLate += other.handledLate;
    repeats += other.repeats;
    complained += other.complained;
    customerScores.addAll(other.customerScores);
    staffScores.addAll(other.staffScores);
    other.clocks.forEach((name, clock) -> clocks.get(name).add(clock));
  }

  /** Faults fixed remotely without a ticket: each a case resolved, remotely. */
  void addRemoteFixes(int count) {
    remoteFixes += count;
  }

  /** A complaint that names no case: counted, but not in the complaint rate (no case served). */
  void addComplaintWithoutCase() {
    complaintsWithoutCase++;
  }

  Kpis kpis() {
    Map<String, Kpis.Timeliness> timeliness = new LinkedHashMap<>();
    clocks.forEach((name, clock) -> timeliness.put(name, clock.timeliness()));
    Map<String, Kpis.Share> shares = new LinkedHashMap<>();
    shares.put("resolution", share(resolved, tickets));
    shares.put("firstTimeFix", share(firstTimeFixes, resolved));
    shares.put("remoteResolution", share(remoteResolved + remoteFixes, resolved + remoteFixes));
    shares.put(
        "handledWithin" + CaseOutcome.HANDLED_WITHIN_WORKING_DAYS + "WorkingDays",
        share(handledOnTime, handledOnTime + handledLate));
    shares.put("repeatFault", share(repeats, tickets));
    shares.put("complaint", share(complained, tickets));
    return new Kpis(
        tickets,
        remoteFixes,
        complaintsWithoutCase,
        cancelled,
        resolved,
        timeliness,
        shares,
        Kpis.Satisfaction.of(scores(customerScores), scores(staffScores)));
  }

  private static Kpis.Share share(int count, int of) {
    return new Kpis.Share(count, of, rate(count, of));
  }

  private static Double rate(int part, int whole) {
    return whole == 0 ? null : (double) part / whole;
  }

  private static Kpis.Scores scores(List<Integer> scores) {
    if (scores.isEmpty()) {
      return new Kpis.Scores(0, null, null);
    }
    List<Integer> sorted = new ArrayList<>(scores);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return new Kpis.Scores(
        n, sorted.stream().mapToInt(Integer::intValue).average().orElseThrow(), median);
  }

  /** One timeliness clock over the cases. */
  private static final class ClockTally {
    private int onTime;
    private int late;
    private int pending;
    private final List<Long> seconds = new ArrayList<>();

    void add(CaseOutcome.ClockOutcome clock) {
      switch (clock.verdict()) {
        case ON_TIME -> onTime++;
        case LATE -> late++;
        case PENDING -> pending++;
        case NOT_COUNTED -> {
          // cancelled before the clock could be late: neither on time nor late
        }
      }
      if (clock.counted() != null) {
        seconds.add(clock.counted().toSeconds());
      }
    }

    void add(CountedClock counted) {
      onTime += counted.onTime();
      late += counted.late();
      pending += counted.pending();
      seconds.addAll(counted.seconds());
    }

    void add(ClockTally other) {
      onTime += other.onTime;
      late += other.late;
      pending += other.pending;
      seconds.addAll(other.seconds);
    }

    Kpis.Timeliness timeliness() {
      return new Kpis.Timeliness(onTime, late, pending, rate(onTime, onTime + late), times());
    }

    private Kpis.Times times() {
      if (seconds.isEmpty()) {
        return new Kpis.Times(0, null, null, null, null);
      }
      List<Long> sorted = new ArrayList<>(seconds);
      Collections.sort(sorted);
      double mean = sorted.stream().mapToLong(Long::longValue).average().orElseThrow();
      return new Kpis.Times(
          sorted.size(),
          mean,
          percentile(sorted, 50),
          percentile(sorted, 90),
          percentile(sorted, 95));
    }
  }

  /** Nearest-rank percentile: the smallest sample with at least p % of samples at or below it. */
  static long percentile(List<Long> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
