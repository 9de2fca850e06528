package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one ticket contributes to the KPIs, decided at the time of asking (docs/tickets.md, KPIs).
 *
 * @param clocks the verdict of each timeliness clock, by name
 * @param handled whether the case was resolved within {@link #HANDLED_WITHIN_WORKING_DAYS} working
 *     days of receipt
 * @param repeat the fault came back: the ticket was reopened, or it follows a resolved ticket of
 *     the same device and category within the reopen window
 * @param feedback what the customer said about the case: complaints and ratings
 */
record CaseOutcome(
    Map<String, ClockOutcome> clocks,
    boolean cancelled,
    boolean resolved,
    boolean firstTimeFix,
    boolean remote,
    Verdict handled,
    boolean repeat,
    Feedback feedback) {

  /** The timeliness rates reported, one per SLA clock: another clock is one more line here. */
  static final List<TimelinessClock> TIMELINESS =
      List.of(
          new TimelinessClock("response", SlaClocks.Clocks::response),
          new TimelinessClock("arrangement", SlaClocks.Clocks::arrangement),
          new TimelinessClock("repair", SlaClocks.Clocks::repair));

  /** "Handled within 3 working days". */
  static final int HANDLED_WITHIN_WORKING_DAYS = 3;

  /** A clock whose timeliness is a KPI. */
  record TimelinessClock(String name, Function<SlaClocks.Clocks, SlaClock> clock) {}

  /** A case measured against a target. */
  enum Verdict {
    ON_TIME,
    LATE,
    /** Not decided yet: still under its target. */
    PENDING,
    /** Never decided: cancelled under its target. */
    NOT_COUNTED
  }

  /**
   * @param counted the clock's counted time when it reached its end; null otherwise
   */
  record ClockOutcome(Verdict verdict, Duration counted) {}

  /**
   * What was said about a case, up to the time of asking.
   *
   * @param complained at least one complaint is linked to the case
   * @param customerScore the customer's own latest rating (through their link); null if none
   * @param staffScore the latest score staff entered (at closing, as they heard it); null if none
   */
  record Feedback(boolean complained, Integer customerScore, Integer staffScore) {
    static final Feedback NONE = new Feedback(false, null, null);
  }

  /** A ticket, its timeline (the first entry its opening), its episode history and feedback. */
  record Sample(
      Ticket ticket,
      List<TimelineEntry> timeline,
      int reopenCount,
      boolean followsEarlierFix,
      Feedback feedback) {}

  static CaseOutcome of(Sample sample, SlaClocks slaClocks, WorkingDays workingDays, Instant now) {
    return KeptOutcome.of(sample.ticket(), sample.timeline(), slaClocks, workingDays, now)
        .with(sample.reopenCount() > 0 || sample.followsEarlierFix(), sample.feedback());
  }
}
