package io.aftercare.simulator.score;

import io.aftercare.simulator.score.ScoreReport.TicketRef;
import java.util.List;

/**
 * Root cause across devices (docs/simulator.md, "Home and incident precision"): whether the
 * platform answered each injected outage with one home alarm (an outage of single homes) or one
 * incident (a regional outage) instead of a ticket per device.
 */
public record RootCauseFigures(HomeFigures homes, IncidentFigures incidents) {

  /**
   * @param outages homes hit by an outage of single homes (one per outage and home)
   * @param found of those, the homes a home alarm was raised for during the outage
   * @param homeAlarms home alarms explaining alarms of the run's devices, in the scored span
   * @param trueHomeAlarms the first home alarm of each home outage
   * @param falseHomeAlarms home alarms of no outage (a home still up, a second one for an outage,
   *     or one of another kind than {@code outage}: the simulator cuts power, not hubs)
   * @param inRegionalOutages home alarms of homes a regional outage hit: right, but the incident is
   *     the answer expected there, so they count neither way
   * @param falseTickets per-device tickets opened during a home outage on one of its devices: the
   *     home alarm should have explained them
   * @param precision {@code trueHomeAlarms / (trueHomeAlarms + falseHomeAlarms + falseTickets)}
   */
  public record HomeFigures(
      int outages,
      int found,
      int homeAlarms,
      int trueHomeAlarms,
      int falseHomeAlarms,
      int inRegionalOutages,
      int falseTickets,
      Double precision,
      List<HomeOutageOutcome> outageDetails,
      List<HomeAlarmRef> falseDetails,
      List<TicketRef> falseTicketDetails) {}

  /**
   * @param homeAlarmId the home alarm raised for it, null when none was
   * @param afterS seconds from the outage's start to the home alarm
   * @param devicesExplained the home's devices whose alarms the home alarm explains
   * @param tickets ids of per-device tickets opened on the home's devices during the outage
   */
  public record HomeOutageOutcome(
      String home,
      String region,
      int devices,
      String startAt,
      String endAt,
      Long homeAlarmId,
      String raisedAt,
      Double afterS,
      int devicesExplained,
      List<Long> tickets) {}

  public record HomeAlarmRef(long id, String kind, List<String> devices, String raisedAt) {}

  /**
   * @param outages regional outages
   * @param found of those, the outages an incident was declared for by the engine during them
   * @param incidents incidents the engine declared ({@code origin: detected}) listing the run's
   *     devices, in the scored span
   * @param trueIncidents the first such incident of each regional outage
   * @param falseIncidents the others
   * @param falseTickets per-device tickets opened during a regional outage on one of its devices:
   *     the incident should have explained them
   * @param precision {@code trueIncidents / (trueIncidents + falseIncidents + falseTickets)}
   */
  public record IncidentFigures(
      int outages,
      int found,
      int incidents,
      int trueIncidents,
      int falseIncidents,
      int falseTickets,
      Double precision,
      List<RegionalOutageOutcome> outageDetails,
      List<IncidentRef> falseDetails,
      List<TicketRef> falseTicketDetails) {}

  /**
   * @param incidentId the incident declared for it, null when none was
   * @param afterS seconds from the outage's start to the declaration
   * @param devicesListed the outage's devices the incident lists as affected
   * @param tickets ids of per-device tickets opened on the outage's devices during it
   */
  public record RegionalOutageOutcome(
      String region,
      int homes,
      int devices,
      String startAt,
      String endAt,
      Long incidentId,
      String level,
      String declaredAt,
      Double afterS,
      int devicesListed,
      List<Long> tickets) {}

  public record IncidentRef(long id, String level, int devices, String declaredAt) {}
}
