package io.aftercare.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.RuleKind;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.score.GroundTruth.InjectedFault;
import io.aftercare.simulator.score.HomeTruth.InjectedOutage;
import io.aftercare.simulator.score.PlatformHomeAlarm.Explained;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Home and incident precision: one home alarm per home outage, one incident per regional outage,
 * and per-device tickets an outage should have had explained counted as false.
 */
class RootCauseScoreTest {

  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
  private static final Instant END = START.plus(Duration.ofMinutes(30));
  private static final Duration GRACE = Duration.ofMinutes(2);

  /** Homes a and b in the north, c and d in the south. */
  private static final Map<String, String> HOME_OF =
      orderedMap(
          "a-plug",
          "a",
          "a-camera",
          "a",
          "a-fridge",
          "a",
          "b-plug",
          "b",
          "b-thermostat",
          "b",
          "c-plug",
          "c",
          "d-plug",
          "d",
          "d-fridge",
          "d");

  private static final Map<String, String> TYPES =
      orderedMap(
          "a-plug",
          "smart_plug",
          "a-camera",
          "camera",
          "a-fridge",
          "fridge",
          "b-plug",
          "smart_plug",
          "b-thermostat",
          "thermostat",
          "c-plug",
          "smart_plug",
          "d-plug",
          "smart_plug",
          "d-fridge",
          "fridge");

  private static final Map<String, String> REGION_OF =
      orderedMap("a", "north", "b", "north", "c", "south", "d", "south");

  private final Scorer scorer = new Scorer(FaultDetectionMap.defaults(), GRACE);
  private final List<InjectedOutage> outages = new ArrayList<>();
  private final List<PlatformAlarm> alarms = new ArrayList<>();
  private final List<PlatformTicket> tickets = new ArrayList<>();
  private final List<PlatformHomeAlarm> homeAlarms = new ArrayList<>();
  private final List<PlatformIncident> incidents = new ArrayList<>();
  private final List<InjectedFault> faults = new ArrayList<>();

  @Test
  void aHomeOutageAnsweredByOneHomeAlarmAndNoTicketIsFoundWithFullPrecision() {
    homeOutage("a", at(60), at(1260));
    offline(1, "a-plug", at(960));
    offline(2, "a-camera", at(961));
    offline(3, "a-fridge", at(962));
    homeAlarm(7, at(960), "a-plug", "a-camera", "a-fridge");

    ScoreReport report = score();

    RootCauseFigures.HomeFigures homes = report.rootCause().homes();
    assertThat(homes.outages()).isEqualTo(1);
    assertThat(homes.found()).isEqualTo(1);
    assertThat(homes.homeAlarms()).isEqualTo(1);
    assertThat(homes.trueHomeAlarms()).isEqualTo(1);
    assertThat(homes.falseHomeAlarms()).isZero();
    assertThat(homes.falseTickets()).isZero();
    assertThat(homes.precision()).isEqualTo(1.0);
    assertThat(homes.outageDetails())
        .containsExactly(
            new RootCauseFigures.HomeOutageOutcome(
                "a",
                "north",
                3,
                at(60).toString(),
                at(1260).toString(),
                7L,
                at(960).toString(),
                900.0,
                3,
                List.of()));
    // The devices' own absence alarms are the outage's doing: explained, not false.
    assertThat(report.explainedAlarms()).isEqualTo(3);
    assertThat(report.falseAlarms()).isZero();
    assertThat(report.summary())
        .endsWith(
            " homes found=1/1 home-alarms=1 false=0 false-tickets=0 precision=1.00"
                + " incidents found=0/0 incidents=0 false=0 false-tickets=0 precision=n/a");
  }

  @Test
  void aTicketOnADeviceOfAHomeWithoutPowerIsFalseAndLowersHomePrecision() {
    homeOutage("a", at(60), at(1260));
    offline(1, "a-plug", at(960));
    offline(2, "a-camera", at(961));
    offline(3, "a-fridge", at(1000));
    homeAlarm(7, at(960), "a-plug", "a-camera");
    ticket(11, "a-fridge", "device_offline", at(1001));
    // After the outage and its grace period: a false ticket, but not the home's to explain.
    ticket(12, "a-plug", "device_offline", at(1500));

    ScoreReport report = score();

    RootCauseFigures.HomeFigures homes = report.rootCause().homes();
    assertThat(homes.found()).isEqualTo(1);
    assertThat(homes.falseTickets()).isEqualTo(1);
    assertThat(homes.precision()).isEqualTo(0.5);
    assertThat(homes.falseTicketDetails())
        .extracting(ScoreReport.TicketRef::id)
        .containsExactly(11L);
    assertThat(homes.outageDetails().get(0).tickets()).containsExactly(11L);
    assertThat(homes.outageDetails().get(0).devicesExplained()).isEqualTo(2);
    assertThat(report.tickets().falseTickets()).isEqualTo(2);
  }

  @Test
  void aTicketARuleAskedForDuringTheOutageIsStillFalse() {
    homeOutage("a", at(60), at(1260));
    fault("a-camera", FaultKind.ERROR_BURST, at(30));
    ticket(11, "a-camera", "repeated_errors", at(300));

    ScoreReport report = score();

    assertThat(report.tickets().trueTickets()).isZero();
    assertThat(report.rootCause().homes().falseTickets()).isEqualTo(1);
  }

  @Test
  void aHomeAlarmOfAHomeThatKeptItsPowerIsFalse() {
    homeOutage("a", at(60), at(1260));
    homeAlarm(8, at(500), "b-plug", "b-thermostat");

    ScoreReport report = score();

    RootCauseFigures.HomeFigures homes = report.rootCause().homes();
    assertThat(homes.found()).isZero();
    assertThat(homes.falseHomeAlarms()).isEqualTo(1);
    assertThat(homes.falseDetails())
        .containsExactly(
            new RootCauseFigures.HomeAlarmRef(
                8, "outage", List.of("b-plug", "b-thermostat"), at(500).toString()));
    assertThat(homes.precision()).isEqualTo(0.0);
    assertThat(homes.outageDetails().get(0).homeAlarmId()).isNull();
  }

  @Test
  void aSecondHomeAlarmForOneOutageIsFalse() {
    homeOutage("a", at(60), at(1260));
    offline(1, "a-plug", at(960));
    offline(2, "a-camera", at(961));
    homeAlarm(7, at(960), "a-plug");
    homeAlarm(9, at(1100), "a-camera");

    RootCauseFigures.HomeFigures homes = score().rootCause().homes();

    assertThat(homes.trueHomeAlarms()).isEqualTo(1);
    assertThat(homes.falseHomeAlarms()).isEqualTo(1);
    assertThat(homes.outageDetails().get(0).homeAlarmId()).isEqualTo(7L);
  }

  @Test
  void aHubFailureInAHomeWithoutPowerNamesTheWrongCauseAndIsFalse() {
    homeOutage("a", at(60), at(1260));
    offline(1, "a-plug", at(960));
    offline(2, "a-camera", at(961));
    homeAlarm(7, "hub_failure", at(960), "a-plug", "a-camera");

    RootCauseFigures.HomeFigures homes = score().rootCause().homes();

    assertThat(homes.found()).isZero();
    assertThat(homes.falseHomeAlarms()).isEqualTo(1);
    assertThat(homes.falseDetails().get(0).kind()).isEqualTo("hub_failure");
  }

  @Test
  void aRegionalOutageAnsweredByOneDetectedIncidentIsFound() {
    regionalOutage("north", at(60), at(1260));
    offline(1, "a-plug", at(960));
    offline(2, "a-camera", at(960));
    offline(3, "a-fridge", at(960));
    offline(4, "b-plug", at(961));
    // The home of three devices raised its own home alarm too: right, counted apart.
    homeAlarm(7, at(960), "a-plug", "a-camera", "a-fridge");
    incident(31, "detected", at(970), "a-plug", "a-camera", "a-fridge", "b-plug", "b-thermostat");
    // Declared by staff, or long after the run: not the engine's answer to this run.
    incident(32, null, at(980), "a-plug");
    incident(33, "detected", at(3000), "b-plug");
    ticket(11, "b-thermostat", "device_offline", at(1000));

    ScoreReport report = score();

    RootCauseFigures.IncidentFigures found = report.rootCause().incidents();
    assertThat(found.outages()).isEqualTo(1);
    assertThat(found.found()).isEqualTo(1);
    assertThat(found.incidents()).isEqualTo(1);
    assertThat(found.falseIncidents()).isZero();
    assertThat(found.falseTickets()).isEqualTo(1);
    assertThat(found.precision()).isEqualTo(0.5);
    RootCauseFigures.RegionalOutageOutcome outcome = found.outageDetails().get(0);
    assertThat(outcome.region()).isEqualTo("north");
    assertThat(outcome.homes()).isEqualTo(2);
    assertThat(outcome.devices()).isEqualTo(5);
    assertThat(outcome.incidentId()).isEqualTo(31L);
    assertThat(outcome.level()).isEqualTo("major");
    assertThat(outcome.afterS()).isEqualTo(910.0);
    assertThat(outcome.devicesListed()).isEqualTo(5);
    assertThat(outcome.tickets()).containsExactly(11L);

    RootCauseFigures.HomeFigures homes = report.rootCause().homes();
    assertThat(homes.outages()).isZero();
    assertThat(homes.inRegionalOutages()).isEqualTo(1);
    assertThat(homes.falseHomeAlarms()).isZero();
    assertThat(homes.falseTickets()).isZero();
    assertThat(report.explainedAlarms()).isEqualTo(4);
  }

  @Test
  void aSecondIncidentOrOneOutsideAnyRegionalOutageIsFalse() {
    regionalOutage("north", at(60), at(1260));
    incident(31, "detected", at(970), "a-plug", "b-plug");
    incident(34, "detected", at(990), "a-camera");
    incident(35, "detected", at(1700), "d-plug");

    RootCauseFigures.IncidentFigures found = score().rootCause().incidents();

    assertThat(found.trueIncidents()).isEqualTo(1);
    assertThat(found.falseIncidents()).isEqualTo(2);
    assertThat(found.falseDetails())
        .extracting(RootCauseFigures.IncidentRef::id)
        .containsExactly(34L, 35L);
    assertThat(found.precision()).isEqualTo(1.0 / 3);
  }

  @Test
  void aRunWithoutHomesReportsNoRootCauseFiguresInItsSummary() {
    GroundTruth truth =
        new GroundTruth(
            START, Optional.of(END), Map.of("plug-1", "smart_plug"), List.of(), List.of());

    ScoreReport report = scorer.score(truth, List.of(), List.of(), END);

    assertThat(report.rootCause().homes().outages()).isZero();
    assertThat(report.rootCause().incidents().precision()).isNull();
    assertThat(report.summary()).doesNotContain("homes").endsWith("false=0");
  }

  @Test
  void aFullPageOfHomeAlarmsThatMayHideSomeOfTheRunIsRefused() {
    List<Instant> newestFirst = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      newestFirst.add(at(1000 - i));
    }

    // The oldest of the page is from the run: older ones of the run may be on no page.
    assertThatThrownBy(
            () -> RootCauseFindings.requireWholeRun(newestFirst, t -> t, START, "home alarms"))
        .hasMessageContaining("1000 or more home alarms since the run started");
    // The oldest is from before the run: the page holds all of the run's.
    newestFirst.set(999, START.minusSeconds(60));
    RootCauseFindings.requireWholeRun(newestFirst, t -> t, START, "home alarms");
  }

  @Test
  void theRuleAnOutageExplainsIsTheDefaultPacksAbsenceRule() throws Exception {
    RuleSet pack = new RuleLoader(new ConditionCompiler()).loadDefaults();

    assertThat(RootCauseScorer.OUTAGE_RULES)
        .isNotEmpty()
        .allSatisfy(
            rule -> assertThat(pack.rule(rule).orElseThrow().kind()).isEqualTo(RuleKind.ABSENCE));
  }

  private ScoreReport score() {
    GroundTruth truth =
        new GroundTruth(
            START,
            Optional.of(END),
            TYPES,
            faults,
            List.of(),
            new HomeTruth(HOME_OF, REGION_OF, outages));
    return scorer.score(
        truth,
        alarms,
        tickets,
        new RootCauseFindings(homeAlarms, incidents),
        END.plus(Duration.ofHours(1)));
  }

  private void fault(String device, FaultKind kind, Instant at) {
    faults.add(new InjectedFault(device, kind, at, Optional.empty()));
  }

  private void homeOutage(String home, Instant from, Instant to) {
    outages.add(
        new InjectedOutage(
            "power_outage", Optional.empty(), List.of(home), devicesOf(List.of(home)), from, to));
  }

  private void regionalOutage(String region, Instant from, Instant to) {
    List<String> homes =
        REGION_OF.entrySet().stream()
            .filter(e -> e.getValue().equals(region))
            .map(Map.Entry::getKey)
            .toList();
    outages.add(
        new InjectedOutage("power_outage", Optional.of(region), homes, devicesOf(homes), from, to));
  }

  private static List<String> devicesOf(List<String> homes) {
    return HOME_OF.entrySet().stream()
        .filter(e -> homes.contains(e.getValue()))
        .map(Map.Entry::getKey)
        .toList();
  }

  private void offline(long id, String device, Instant raisedAt) {
    alarms.add(
        new PlatformAlarm(
            id,
            device,
            "device_offline",
            "active",
            raisedAt,
            Optional.empty(),
            Optional.empty(),
            List.of()));
  }

  /** An outage home alarm explaining the {@code device_offline} alarms of these devices. */
  private void homeAlarm(long id, Instant raisedAt, String... devices) {
    homeAlarm(id, "outage", raisedAt, devices);
  }

  private void homeAlarm(long id, String kind, Instant raisedAt, String... devices) {
    List<Explained> explains = new ArrayList<>();
    for (String device : devices) {
      long alarmId =
          alarms.stream()
              .filter(a -> a.deviceId().equals(device))
              .mapToLong(PlatformAlarm::id)
              .findFirst()
              .orElse(100 + explains.size());
      explains.add(new Explained(alarmId, device, "device_offline"));
    }
    homeAlarms.add(new PlatformHomeAlarm(id, kind, "active", raisedAt, Optional.empty(), explains));
  }

  private void incident(long id, String origin, Instant declaredAt, String... devices) {
    incidents.add(
        new PlatformIncident(
            id,
            Optional.ofNullable(origin),
            "major",
            "declared",
            declaredAt,
            Optional.empty(),
            List.of(devices)));
  }

  private void ticket(long id, String device, String rule, Instant openedAt) {
    tickets.add(new PlatformTicket(id, device, Optional.of(rule), "open", openedAt));
  }

  private static Instant at(long secondsAfterStart) {
    return START.plusSeconds(secondsAfterStart);
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
