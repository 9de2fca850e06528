package io.aftercare.simulator.score;

import io.aftercare.simulator.score.FaultDetectionMap.Detection;
import io.aftercare.simulator.score.GroundTruth.Cure;
import io.aftercare.simulator.score.GroundTruth.InjectedFault;
import io.aftercare.simulator.score.ScoreReport.AlarmRef;
import io.aftercare.simulator.score.ScoreReport.Attempt;
import io.aftercare.simulator.score.ScoreReport.Detected;
import io.aftercare.simulator.score.ScoreReport.FaultOutcome;
import io.aftercare.simulator.score.ScoreReport.RemoteFix;
import io.aftercare.simulator.score.ScoreReport.RemoteFixOutcome;
import io.aftercare.simulator.score.ScoreReport.TicketRef;
import io.aftercare.simulator.score.ScoreReport.Tickets;
import io.aftercare.simulator.score.ScoreReport.UndetectedFault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Compares a run's ground truth with the alarms and tickets the platform produced. Pure: no HTTP,
 * no clock; every input is an argument. The matching rules are in docs/simulator.md ({@code
 * score}).
 */
public final class Scorer {

  /**
   * Device and platform clocks differ a little, and an alarm's raise time is the time of the data
   * that triggered it: an alarm this much before the fault's start still counts.
   */
  public static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);

  private final FaultDetectionMap detectionMap;
  private final Duration grace;

  /**
   * @param grace how long after a fault ends (cured, or the run over) an alarm or ticket is still
   *     its doing: the engine works on committed data and some rules decide on a timer
   */
  public Scorer(FaultDetectionMap detectionMap, Duration grace) {
    this.detectionMap = detectionMap;
    this.grace = grace;
  }

  /**
   * @param alarms the platform's alarms on the run's devices, any status
   * @param tickets the platform's tickets on the run's devices, any status
   * @param now when scoring happens: the end of a run that has not written its end yet
   */
  public ScoreReport score(
      GroundTruth truth, List<PlatformAlarm> alarms, List<PlatformTicket> tickets, Instant now) {
    return score(truth, alarms, tickets, RootCauseFindings.none(), now);
  }

  /**
   * @param rootCause the platform's home alarms and incidents, for a run with homes
   */
  public ScoreReport score(
      GroundTruth truth,
      List<PlatformAlarm> alarms,
      List<PlatformTicket> tickets,
      RootCauseFindings rootCause,
      Instant now) {
    Instant runEnd = truth.endedAt().orElse(now);
    RootCauseScorer outages = new RootCauseScorer(truth, runEnd, grace);
    Span run = new Span(truth.startedAt().minus(CLOCK_TOLERANCE), runEnd.plus(grace));
    List<PlatformAlarm> inRun =
        alarms.stream()
            .filter(a -> truth.devices().containsKey(a.deviceId()) && run.contains(a.raisedAt()))
            .sorted(Comparator.comparing(PlatformAlarm::raisedAt))
            .toList();
    List<PlatformTicket> ticketsInRun =
        tickets.stream()
            .filter(t -> truth.devices().containsKey(t.deviceId()) && run.contains(t.openedAt()))
            .toList();
    List<FaultView> faults =
        truth.faults().stream().map(f -> view(truth, f, runEnd, inRun, ticketsInRun)).toList();

    List<PlatformAlarm> falseAlarms = new ArrayList<>();
    List<AlarmRef> explained = new ArrayList<>();
    int trueAlarms = 0;
    for (PlatformAlarm alarm : inRun) {
      if (faults.stream().anyMatch(f -> f.detecting().contains(alarm))) {
        trueAlarms++;
      } else if (faults.stream().anyMatch(f -> f.explains(alarm)) || outages.explains(alarm)) {
        explained.add(ref(alarm));
      } else {
        falseAlarms.add(alarm);
      }
    }
    int detected = (int) faults.stream().filter(FaultView::detected).count();
    int outsideRun =
        (int) alarms.stream().filter(a -> truth.devices().containsKey(a.deviceId())).count()
            - inRun.size();
    return new ScoreReport(
        new ScoreReport.Run(
            truth.startedAt().toString(),
            truth.endedAt().map(Instant::toString).orElse(null),
            run.to().toString(),
            truth.devices().size(),
            grace.toMillis() / 1000.0,
            CLOCK_TOLERANCE.toMillis() / 1000.0,
            outsideRun),
        faults.size(),
        detected,
        ratio(detected, faults.size()),
        inRun.size(),
        trueAlarms,
        falseAlarms.size(),
        explained.size(),
        ratio(trueAlarms, trueAlarms + falseAlarms.size()),
        DetectionTimes.of(faults),
        ForecastFigures.of(faults, falseAlarms),
        remoteFix(faults),
        tickets(faults, ticketsInRun, outages),
        faults.stream().map(FaultView::outcome).toList(),
        faults.stream().filter(f -> !f.detected()).map(FaultView::undetected).toList(),
        falseAlarms.stream().map(Scorer::ref).toList(),
        explained,
        outages.figures(run, ticketsInRun, rootCause));
  }

  private FaultView view(
      GroundTruth truth,
      InjectedFault fault,
      Instant runEnd,
      List<PlatformAlarm> alarms,
      List<PlatformTicket> tickets) {
    String type = truth.devices().get(fault.device());
    Optional<Cure> cure = truth.cureOf(fault);
    Instant faultEnd = cure.map(Cure::curedAt).orElse(runEnd);
    // While the fault lasts, and the grace period after, allowing for clock skew at the start.
    Span caused = new Span(fault.startAt().minus(CLOCK_TOLERANCE), faultEnd.plus(grace));
    Detection detection = detectionMap.detection(fault.fault(), type);
    List<PlatformAlarm> detecting =
        alarms.stream()
            .filter(a -> a.deviceId().equals(fault.device()))
            .filter(a -> detection.rules().contains(a.ruleId()) && caused.contains(a.raisedAt()))
            .toList();
    List<PlatformTicket> ticketsForIt =
        tickets.stream()
            .filter(t -> t.deviceId().equals(fault.device()))
            .filter(t -> t.ruleId().filter(detection.rules()::contains).isPresent())
            .filter(t -> caused.contains(t.openedAt()))
            .toList();
    return new FaultView(
        fault,
        type,
        detection,
        caused,
        cure,
        faultEnd,
        runEnd,
        truth.endedAt().isPresent(),
        detecting,
        ticketsForIt);
  }

  private static RemoteFix remoteFix(List<FaultView> faults) {
    List<FaultView> attempted = faults.stream().filter(FaultView::remoteFixAttempted).toList();
    int cured = (int) attempted.stream().filter(f -> f.cure().isPresent()).count();
    return new RemoteFix(attempted.size(), cured, ratio(cured, attempted.size()));
  }

  private static Tickets tickets(
      List<FaultView> faults, List<PlatformTicket> tickets, RootCauseScorer outages) {
    List<TicketRef> falseTickets =
        tickets.stream()
            // A ticket on a device whose home had no power is false even when a fault's rule
            // asked for it: the home alarm or incident should have explained it.
            .filter(
                t ->
                    faults.stream().noneMatch(f -> f.tickets().contains(t))
                        || outages.shouldHaveExplained(t))
            .map(
                t ->
                    new TicketRef(
                        t.id(),
                        t.deviceId(),
                        t.ruleId().orElse(null),
                        t.status(),
                        t.openedAt().toString()))
            .toList();
    return new Tickets(
        tickets.size(), tickets.size() - falseTickets.size(), falseTickets.size(), falseTickets);
  }

  private static AlarmRef ref(PlatformAlarm alarm) {
    return new AlarmRef(alarm.id(), alarm.deviceId(), alarm.ruleId(), alarm.raisedAt().toString());
  }

  private static Double ratio(int part, int whole) {
    return whole == 0 ? null : (double) part / whole;
  }

  /** A closed time interval. */
  record Span(Instant from, Instant to) {
    boolean contains(Instant at) {
      return !at.isBefore(from) && !at.isAfter(to);
    }
  }

  /**
   * One fault with what matched it.
   *
   * @param caused when an alarm or ticket counts as caused by the fault
   * @param runEnded whether the ground truth has the run's end, rather than scoring mid-run
   * @param detecting its detecting alarms, earliest first
   */
  record FaultView(
      InjectedFault fault,
      String type,
      Detection detection,
      Span caused,
      Optional<Cure> cure,
      Instant faultEnd,
      Instant runEnd,
      boolean runEnded,
      List<PlatformAlarm> detecting,
      List<PlatformTicket> tickets) {

    boolean detected() {
      return !detecting.isEmpty();
    }

    Optional<Duration> timeToDetect() {
      return detecting.stream()
          .findFirst()
          .map(a -> Duration.between(fault.startAt(), a.raisedAt()))
          // An alarm within the clock tolerance before the start detected it at once.
          .map(d -> d.isNegative() ? Duration.ZERO : d);
    }

    boolean explains(PlatformAlarm alarm) {
      return alarm.deviceId().equals(fault.device())
          && detection.explains().contains(alarm.ruleId())
          && caused.contains(alarm.raisedAt());
    }

    /** Detected, and a remedy went out on a detecting alarm or a command cured the fault. */
    boolean remoteFixAttempted() {
      return detected()
          && (cure.isPresent() || detecting.stream().anyMatch(a -> !a.remedies().isEmpty()));
    }

    FaultOutcome outcome() {
      Detected first =
          detecting.stream()
              .findFirst()
              .map(
                  a ->
                      new Detected(
                          a.id(),
                          a.ruleId(),
                          a.raisedAt().toString(),
                          timeToDetect().orElseThrow().toMillis() / 1000.0))
              .orElse(null);
      List<Attempt> attempts =
          detecting.stream()
              .flatMap(
                  a ->
                      a.remedies().stream()
                          .map(
                              r -> new Attempt(a.id(), r.command(), r.status(), r.at().toString())))
              .toList();
      RemoteFixOutcome remoteFix =
          new RemoteFixOutcome(
              attempts,
              cure.map(Cure::command).orElse(null),
              cure.map(c -> c.curedAt().toString()).orElse(null),
              detecting.stream().findFirst().flatMap(PlatformAlarm::resolution).orElse(null));
      return new FaultOutcome(
          fault.device(),
          type,
          fault.fault().id(),
          fault.startAt().toString(),
          first,
          remoteFix,
          tickets.stream().map(PlatformTicket::id).toList());
    }

    UndetectedFault undetected() {
      return new UndetectedFault(
          fault.device(),
          fault.fault().id(),
          fault.startAt().toString(),
          UndetectedReason.of(this));
    }
  }
}
