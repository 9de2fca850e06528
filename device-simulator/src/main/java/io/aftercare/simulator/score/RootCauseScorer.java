package io.aftercare.simulator.score;

import io.aftercare.simulator.score.HomeTruth.InjectedOutage;
import io.aftercare.simulator.score.RootCauseFigures.HomeAlarmRef;
import io.aftercare.simulator.score.RootCauseFigures.HomeFigures;
import io.aftercare.simulator.score.RootCauseFigures.HomeOutageOutcome;
import io.aftercare.simulator.score.RootCauseFigures.IncidentFigures;
import io.aftercare.simulator.score.RootCauseFigures.IncidentRef;
import io.aftercare.simulator.score.RootCauseFigures.RegionalOutageOutcome;
import io.aftercare.simulator.score.ScoreReport.TicketRef;
import io.aftercare.simulator.score.Scorer.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scores the outages of whole homes of a run: one home alarm per home outage, one incident per
 * regional outage, and no per-device ticket on a device the outage silenced. Pure, as {@link
 * Scorer}, which calls it; the rules are in docs/simulator.md ("Home and incident precision").
 */
final class RootCauseScorer {

  /**
   * The default pack's absence rule: what a device of a home without power rightly raises. Such an
   * alarm during the outage is explained by it (neither a detection nor a false alarm); the home
   * alarm or incident is the platform's answer to the outage.
   */
  static final Set<String> OUTAGE_RULES = Set.of("device_offline");

  private final GroundTruth truth;
  private final List<OutageView> outages;

  /**
   * @param runEnd when the run ended (or scoring happens): an outage still on then ends there
   * @param grace how long after an outage ends its alarms, tickets and findings still count
   */
  RootCauseScorer(GroundTruth truth, Instant runEnd, Duration grace) {
    this.truth = truth;
    this.outages =
        truth.homes().outages().stream()
            .map(
                o -> {
                  Instant end = o.endAt().isAfter(runEnd) ? runEnd : o.endAt();
                  return new OutageView(
                      o, new Span(o.startAt().minus(Scorer.CLOCK_TOLERANCE), end.plus(grace)));
                })
            .toList();
  }

  /** An outage with the span in which what happens to its devices is its doing. */
  private record OutageView(InjectedOutage outage, Span caused) {

    boolean silenced(String deviceId, Instant at) {
      return outage.devices().contains(deviceId) && caused.contains(at);
    }
  }

  /** One home of an outage of single homes. */
  private record HomeOutage(OutageView view, String home) {}

  /** An absence alarm on a device while its home had no power. */
  boolean explains(PlatformAlarm alarm) {
    return OUTAGE_RULES.contains(alarm.ruleId())
        && outages.stream().anyMatch(o -> o.silenced(alarm.deviceId(), alarm.raisedAt()));
  }

  /**
   * A per-device ticket on a device while its home had no power: a home or incident's to explain.
   */
  boolean shouldHaveExplained(PlatformTicket ticket) {
    return outages.stream().anyMatch(o -> o.silenced(ticket.deviceId(), ticket.openedAt()));
  }

  /**
   * @param run the scored span
   * @param tickets the tickets on the run's devices in the scored span
   */
  RootCauseFigures figures(Span run, List<PlatformTicket> tickets, RootCauseFindings findings) {
    return new RootCauseFigures(
        homes(run, tickets, findings.homeAlarms()), incidents(run, tickets, findings.incidents()));
  }

  private HomeFigures homes(
      Span run, List<PlatformTicket> tickets, List<PlatformHomeAlarm> homeAlarms) {
    List<HomeOutage> homeOutages = new ArrayList<>();
    outages.stream()
        .filter(o -> !o.outage().regional())
        .forEach(o -> o.outage().homes().forEach(h -> homeOutages.add(new HomeOutage(o, h))));
    List<PlatformHomeAlarm> ofRun =
        homeAlarms.stream()
            .filter(h -> run.contains(h.raisedAt()))
            .filter(h -> h.deviceIds().stream().anyMatch(truth.devices()::containsKey))
            .sorted(Comparator.comparing(PlatformHomeAlarm::raisedAt))
            .toList();
    Map<HomeOutage, PlatformHomeAlarm> found = new LinkedHashMap<>();
    List<PlatformHomeAlarm> falseAlarms = new ArrayList<>();
    int inRegional = 0;
    for (PlatformHomeAlarm alarm : ofRun) {
      Set<String> homes = truth.homes().homesOf(alarm.deviceIds());
      // A hub failure or a degraded home names another cause than the power cut the run made.
      boolean outageKind = alarm.kind().equals(PlatformHomeAlarm.OUTAGE);
      Optional<HomeOutage> outage =
          homeOutages.stream()
              .filter(o -> outageKind)
              .filter(o -> !found.containsKey(o) && homes.contains(o.home()))
              .filter(o -> o.view().caused().contains(alarm.raisedAt()))
              .findFirst();
      if (outage.isPresent()) {
        found.put(outage.get(), alarm);
      } else if (outageKind
          && outages.stream()
              .filter(o -> o.outage().regional() && o.caused().contains(alarm.raisedAt()))
              .anyMatch(o -> o.outage().homes().stream().anyMatch(homes::contains))) {
        inRegional++;
      } else {
        falseAlarms.add(alarm);
      }
    }
    List<PlatformTicket> falseTickets = silenced(tickets, false);
    List<HomeOutageOutcome> details =
        homeOutages.stream().map(o -> outcome(o, found.get(o), tickets)).toList();
    return new HomeFigures(
        homeOutages.size(),
        found.size(),
        ofRun.size(),
        found.size(),
        falseAlarms.size(),
        inRegional,
        falseTickets.size(),
        ratio(found.size(), found.size() + falseAlarms.size() + falseTickets.size()),
        details,
        falseAlarms.stream()
            .map(a -> new HomeAlarmRef(a.id(), a.kind(), a.deviceIds(), a.raisedAt().toString()))
            .toList(),
        falseTickets.stream().map(RootCauseScorer::ref).toList());
  }

  private HomeOutageOutcome outcome(
      HomeOutage outage, PlatformHomeAlarm alarm, List<PlatformTicket> tickets) {
    InjectedOutage injected = outage.view().outage();
    List<String> devices =
        injected.devices().stream()
            .filter(d -> outage.home().equals(truth.homes().homeOfDevice().get(d)))
            .toList();
    List<Long> ticketIds =
        tickets.stream()
            .filter(t -> devices.contains(t.deviceId()))
            .filter(t -> outage.view().caused().contains(t.openedAt()))
            .map(PlatformTicket::id)
            .toList();
    return new HomeOutageOutcome(
        outage.home(),
        truth.homes().regionOfHome().get(outage.home()),
        devices.size(),
        injected.startAt().toString(),
        injected.endAt().toString(),
        alarm == null ? null : alarm.id(),
        alarm == null ? null : alarm.raisedAt().toString(),
        alarm == null ? null : afterS(injected.startAt(), alarm.raisedAt()),
        alarm == null ? 0 : (int) alarm.deviceIds().stream().filter(devices::contains).count(),
        ticketIds);
  }

  private IncidentFigures incidents(
      Span run, List<PlatformTicket> tickets, List<PlatformIncident> incidents) {
    List<OutageView> regional = outages.stream().filter(o -> o.outage().regional()).toList();
    List<PlatformIncident> ofRun =
        incidents.stream()
            .filter(PlatformIncident::detected)
            .filter(i -> run.contains(i.declaredAt()))
            .filter(i -> i.deviceIds().stream().anyMatch(truth.devices()::containsKey))
            .sorted(Comparator.comparing(PlatformIncident::declaredAt))
            .toList();
    Map<OutageView, PlatformIncident> found = new LinkedHashMap<>();
    List<PlatformIncident> falseIncidents = new ArrayList<>();
    for (PlatformIncident incident : ofRun) {
      Optional<OutageView> outage =
          regional.stream()
              .filter(o -> !found.containsKey(o) && o.caused().contains(incident.declaredAt()))
              .filter(o -> incident.deviceIds().stream().anyMatch(o.outage().devices()::contains))
              .findFirst();
      if (outage.isPresent()) {
        found.put(outage.get(), incident);
      } else {
        falseIncidents.add(incident);
      }
    }
    List<PlatformTicket> falseTickets = silenced(tickets, true);
    List<RegionalOutageOutcome> details =
        regional.stream().map(o -> outcome(o, found.get(o), tickets)).toList();
    return new IncidentFigures(
        regional.size(),
        found.size(),
        ofRun.size(),
        found.size(),
        falseIncidents.size(),
        falseTickets.size(),
        ratio(found.size(), found.size() + falseIncidents.size() + falseTickets.size()),
        details,
        falseIncidents.stream()
            .map(
                i ->
                    new IncidentRef(
                        i.id(), i.level(), i.deviceIds().size(), i.declaredAt().toString()))
            .toList(),
        falseTickets.stream().map(RootCauseScorer::ref).toList());
  }

  private static RegionalOutageOutcome outcome(
      OutageView outage, PlatformIncident incident, List<PlatformTicket> tickets) {
    InjectedOutage injected = outage.outage();
    Set<String> devices = new HashSet<>(injected.devices());
    return new RegionalOutageOutcome(
        injected.region().orElseThrow(),
        injected.homes().size(),
        devices.size(),
        injected.startAt().toString(),
        injected.endAt().toString(),
        incident == null ? null : incident.id(),
        incident == null ? null : incident.level(),
        incident == null ? null : incident.declaredAt().toString(),
        incident == null ? null : afterS(injected.startAt(), incident.declaredAt()),
        incident == null
            ? 0
            : (int) incident.deviceIds().stream().filter(devices::contains).count(),
        tickets.stream()
            .filter(t -> outage.silenced(t.deviceId(), t.openedAt()))
            .map(PlatformTicket::id)
            .toList());
  }

  /** The tickets opened on a device during an outage of single homes, or a regional one. */
  private List<PlatformTicket> silenced(List<PlatformTicket> tickets, boolean regional) {
    return tickets.stream()
        .filter(
            t ->
                outages.stream()
                    .filter(o -> o.outage().regional() == regional)
                    .anyMatch(o -> o.silenced(t.deviceId(), t.openedAt())))
        .toList();
  }

  private static TicketRef ref(PlatformTicket t) {
    return new TicketRef(
        t.id(), t.deviceId(), t.ruleId().orElse(null), t.status(), t.openedAt().toString());
  }

  private static double afterS(Instant start, Instant at) {
    Duration after = Duration.between(start, at);
    return after.isNegative() ? 0 : after.toMillis() / 1000.0;
  }

  private static Double ratio(int part, int whole) {
    return whole == 0 ? null : (double) part / whole;
  }
}
