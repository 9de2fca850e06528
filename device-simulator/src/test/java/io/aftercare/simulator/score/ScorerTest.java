package io.aftercare.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.score.GroundTruth.Cure;
import io.aftercare.simulator.score.GroundTruth.InjectedFault;
import io.aftercare.simulator.score.PlatformAlarm.RemedyAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScorerTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant END = START.plus(Duration.ofMinutes(30));
  private static final Duration GRACE = Duration.ofMinutes(2);
  private static final Map<String, String> FLEET =
      Map.of(
          "camera-1", "camera",
          "plug-1", "smart_plug",
          "plug-2", "smart_plug",
          "thermostat-1", "thermostat",
          "hub-1", "hub",
          "fridge-1", "fridge",
          "lock-1", "door_lock");

  private final Scorer scorer = new Scorer(FaultDetectionMap.defaults(), GRACE);
  private final List<InjectedFault> faults = new ArrayList<>();
  private final List<Cure> cures = new ArrayList<>();
  private final List<PlatformAlarm> alarms = new ArrayList<>();
  private final List<PlatformTicket> tickets = new ArrayList<>();

  @Test
  void anAlarmOfAMatchingRuleAfterTheFaultStartedDetectsIt() {
    fault("camera-1", FaultKind.WIFI_FLAPPING, at(30));
    alarm(1, "camera-1", "wifi_flapping", at(135));

    ScoreReport report = score();

    assertThat(report.faults()).isEqualTo(1);
    assertThat(report.detected()).isEqualTo(1);
    assertThat(report.recall()).isEqualTo(1.0);
    assertThat(report.trueAlarms()).isEqualTo(1);
    assertThat(report.precision()).isEqualTo(1.0);
    assertThat(report.timeToDetectS().p50()).isEqualTo(105.0);
    assertThat(report.timeToDetectS().byFault().get("wifi_flapping").detected()).isEqualTo(1);
    assertThat(report.faultDetails().get(0).detected())
        .isEqualTo(new ScoreReport.Detected(1, "wifi_flapping", at(135).toString(), 105.0));
    assertThat(report.undetected()).isEmpty();
  }

  @Test
  void theFirstOfSeveralDetectingAlarmsGivesTheTimeToDetect() {
    fault("plug-1", FaultKind.REBOOT_LOOP, at(60));
    alarm(2, "plug-1", "uptime_resets", at(400));
    alarm(1, "plug-1", "reboot_loop", at(300));

    ScoreReport report = score();

    assertThat(report.trueAlarms()).isEqualTo(2);
    assertThat(report.faultDetails().get(0).detected().rule()).isEqualTo("reboot_loop");
    assertThat(report.timeToDetectS().max()).isEqualTo(240.0);
  }

  @Test
  void anAlarmOnAHealthyDeviceIsAFalseAlarm() {
    fault("camera-1", FaultKind.WIFI_FLAPPING, at(30));
    alarm(1, "camera-1", "wifi_flapping", at(135));
    alarm(2, "plug-2", "device_offline", at(600));

    ScoreReport report = score();

    assertThat(report.falseAlarms()).isEqualTo(1);
    assertThat(report.precision()).isEqualTo(0.5);
    assertThat(report.falseAlarmDetails())
        .containsExactly(
            new ScoreReport.AlarmRef(2, "plug-2", "device_offline", at(600).toString()));
  }

  @Test
  void anAlarmOfAnotherRuleOnTheFaultyDeviceIsAFalseAlarm() {
    fault("camera-1", FaultKind.WIFI_FLAPPING, at(30));
    alarm(1, "camera-1", "storage_exhaustion", at(135));

    ScoreReport report = score();

    assertThat(report.detected()).isZero();
    assertThat(report.recall()).isEqualTo(0.0);
    assertThat(report.falseAlarms()).isEqualTo(1);
    assertThat(report.precision()).isEqualTo(0.0);
  }

  @Test
  void anAlarmBeforeTheFaultStartedDoesNotDetectItUnlessWithinTheClockTolerance() {
    fault("camera-1", FaultKind.WIFI_FLAPPING, at(300));
    fault("hub-1", FaultKind.ERROR_BURST, at(300));
    alarm(1, "camera-1", "wifi_flapping", at(200));
    alarm(2, "hub-1", "repeated_errors", at(297));

    ScoreReport report = score();

    assertThat(report.detected()).isEqualTo(1);
    assertThat(report.falseAlarmDetails()).extracting(ScoreReport.AlarmRef::id).containsExactly(1L);
    assertThat(report.faultDetails().get(1).detected().afterS()).isZero();
  }

  @Test
  void aLateAlarmCountsWithinTheGracePeriodAfterTheRunAndIsIgnoredAfterIt() {
    fault("camera-1", FaultKind.WIFI_FLAPPING, at(1700));
    fault("hub-1", FaultKind.ERROR_BURST, at(1700));
    alarm(1, "camera-1", "wifi_flapping", END.plus(Duration.ofSeconds(90)));
    alarm(2, "hub-1", "repeated_errors", END.plus(Duration.ofMinutes(20)));

    ScoreReport report = score();

    assertThat(report.detected()).isEqualTo(1);
    assertThat(report.alarms()).isEqualTo(1);
    assertThat(report.run().outsideRun()).isEqualTo(1);
    assertThat(report.undetected())
        .singleElement()
        .satisfies(u -> assertThat(u.reason()).isEqualTo("not yet detected"));
  }

  @Test
  void anAlarmLongAfterTheFaultWasCuredIsFalse() {
    fault("camera-1", FaultKind.WIFI_FLAPPING, at(30), "reset_network");
    cure("camera-1", FaultKind.WIFI_FLAPPING, "reset_network", at(200));
    alarm(1, "camera-1", "wifi_flapping", at(150));
    alarm(2, "camera-1", "wifi_flapping", at(900));

    ScoreReport report = score();

    assertThat(report.trueAlarms()).isEqualTo(1);
    assertThat(report.falseAlarmDetails()).extracting(ScoreReport.AlarmRef::id).containsExactly(2L);
  }

  @Test
  void sideEffectAlarmsAreExplainedNeitherTrueNorFalse() {
    fault("plug-1", FaultKind.REBOOT_LOOP, at(60));
    alarm(1, "plug-1", "reboot_loop", at(300));
    alarm(2, "plug-1", "connection_flapping", at(400));

    ScoreReport report = score();

    assertThat(report.alarms()).isEqualTo(2);
    assertThat(report.explainedAlarms()).isEqualTo(1);
    assertThat(report.falseAlarms()).isZero();
    assertThat(report.precision()).isEqualTo(1.0);
  }

  @Test
  void aRemedyThatCuredTheFaultCountsAsARemoteFix() {
    fault("camera-1", FaultKind.WIFI_FLAPPING, at(30), "reset_network");
    cure("camera-1", FaultKind.WIFI_FLAPPING, "reset_network", at(140));
    alarms.add(
        new PlatformAlarm(
            1,
            "camera-1",
            "wifi_flapping",
            "cleared",
            at(135),
            Optional.of(at(330)),
            Optional.of("fixed_remotely"),
            List.of(new RemedyAction("reset_network", "c-1", "succeeded", at(136)))));
    // Detected, remedy tried, not cured: the stuck sensor is cured only by a reboot
    fault("thermostat-1", FaultKind.STUCK_SENSOR, at(30), "firmware_rollback");
    alarms.add(
        new PlatformAlarm(
            2,
            "thermostat-1",
            "temperature_sensor_stuck",
            "active",
            at(1000),
            Optional.empty(),
            Optional.empty(),
            List.of(new RemedyAction("reboot", "c-2", "succeeded", at(1001)))));
    // Detected, no remedy: not part of the rate
    fault("hub-1", FaultKind.OFFLINE, at(30));
    alarm(3, "hub-1", "device_offline", at(960));

    ScoreReport report = score();

    assertThat(report.remoteFix()).isEqualTo(new ScoreReport.RemoteFix(2, 1, 0.5));
    ScoreReport.RemoteFixOutcome cured = report.faultDetails().get(0).remoteFix();
    assertThat(cured.curedBy()).isEqualTo("reset_network");
    assertThat(cured.curedAt()).isEqualTo(at(140).toString());
    assertThat(cured.alarmResolution()).isEqualTo("fixed_remotely");
    assertThat(cured.attempts())
        .containsExactly(
            new ScoreReport.Attempt(1, "reset_network", "succeeded", at(136).toString()));
    assertThat(report.faultDetails().get(1).remoteFix().curedBy()).isNull();
  }

  @Test
  void aTicketWithoutAMatchingFaultIsFalse() {
    fault("camera-1", FaultKind.WIFI_FLAPPING, at(30));
    alarm(1, "camera-1", "wifi_flapping", at(135));
    ticket(10, "camera-1", "wifi_flapping", at(400));
    ticket(11, "plug-2", "device_offline", at(1200));
    ticket(12, "camera-1", "overheating", at(500));

    ScoreReport report = score();

    assertThat(report.tickets().total()).isEqualTo(3);
    assertThat(report.tickets().trueTickets()).isEqualTo(1);
    assertThat(report.tickets().falseTickets()).isEqualTo(2);
    assertThat(report.tickets().falseDetails())
        .extracting(ScoreReport.TicketRef::id)
        .containsExactlyInAnyOrder(11L, 12L);
    assertThat(report.faultDetails().get(0).tickets()).containsExactly(10L);
  }

  @Test
  void undetectedFaultsSayWhyWhenTheReasonIsMechanical() {
    fault("lock-1", FaultKind.STUCK_SENSOR, at(30));
    fault("hub-1", FaultKind.OFFLINE, at(1500));
    fault("fridge-1", FaultKind.OVERHEATING, at(1500));
    fault("camera-1", FaultKind.ERROR_BURST, at(60));

    ScoreReport report = score();

    assertThat(report.undetected())
        .extracting(ScoreReport.UndetectedFault::reason)
        .containsExactly(
            "no default rule detects stuck_sensor on a door_lock",
            "too short: the run ended 5m00s after the start; the rules (device_offline) need at"
                + " least 15m00s",
            "too short: the run ended 5m00s after the start; the rules (fridge_temperature_high,"
                + " fridge_warm) need at least 7m00s",
            "not yet detected");
  }

  @Test
  void withNoAlarmsPrecisionIsUndefinedAndTheSummarySaysSo() {
    fault("camera-1", FaultKind.WIFI_FLAPPING, at(30));

    ScoreReport report = score();

    assertThat(report.precision()).isNull();
    assertThat(report.summary())
        .isEqualTo(
            "score: 1 faults detected=0 recall=0.00 alarms=0 true=0 false=0 explained=0"
                + " precision=n/a ttd p50=n/a max=n/a remote-fix=0/0 tickets=0 false-tickets=0"
                + " forecast warned=0/0 p50=n/a max=n/a false=0");
  }

  @Test
  void forecastWarningsAreTimedFromTheFaultsStartAndOnHealthyDevicesCountAsFalse() {
    fault("thermostat-1", FaultKind.BATTERY_DRAIN, at(600));
    forecastAlarm(1, "thermostat-1", "battery_drain_forecast", at(780));
    alarm(2, "thermostat-1", "battery_low", at(1500));
    fault("lock-1", FaultKind.BATTERY_DRAIN, at(900));
    // The lock's drain is seen only at its threshold: no forecast warning for it.
    alarm(3, "lock-1", "battery_low", at(1700));
    // Noise on a healthy device taken for a trend.
    forecastAlarm(4, "hub-1", "memory_exhaustion_forecast", at(1000));

    ScoreReport report = score();

    ScoreReport.Forecasts forecasts = report.forecasts();
    assertThat(forecasts.faults()).isEqualTo(2);
    assertThat(forecasts.warned()).isEqualTo(1);
    assertThat(forecasts.p50S()).isEqualTo(180.0);
    assertThat(forecasts.maxS()).isEqualTo(180.0);
    assertThat(forecasts.warnings())
        .containsExactly(
            new ScoreReport.ForecastWarning(
                "thermostat-1",
                "battery_drain",
                at(600).toString(),
                1,
                "battery_drain_forecast",
                at(780).toString(),
                180.0,
                "battery empty in about 20 min"));
    assertThat(forecasts.falseWarnings()).isEqualTo(1);
    assertThat(forecasts.falseDetails())
        .containsExactly(
            new ScoreReport.AlarmRef(
                4, "hub-1", "memory_exhaustion_forecast", at(1000).toString()));
    // The forecast is the drain's first detection.
    assertThat(report.timeToDetectS().byFault().get("battery_drain").p50()).isEqualTo(180.0);
    assertThat(report.summary()).endsWith(" forecast warned=1/2 p50=3m00s max=3m00s false=1");
  }

  private void forecastAlarm(long id, String device, String rule, Instant raisedAt) {
    alarms.add(
        new PlatformAlarm(
            id,
            device,
            rule,
            "active",
            raisedAt,
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.of("battery empty in about 20 min")));
  }

  private ScoreReport score() {
    GroundTruth truth = new GroundTruth(START, Optional.of(END), FLEET, faults, cures);
    return scorer.score(truth, alarms, tickets, END.plus(Duration.ofHours(1)));
  }

  private static Instant at(long secondsAfterStart) {
    return START.plusSeconds(secondsAfterStart);
  }

  private void fault(String device, FaultKind kind, Instant startAt) {
    faults.add(new InjectedFault(device, kind, startAt, Optional.empty()));
  }

  private void fault(String device, FaultKind kind, Instant startAt, String curedBy) {
    faults.add(new InjectedFault(device, kind, startAt, Optional.of(curedBy)));
  }

  private void cure(String device, FaultKind kind, String command, Instant at) {
    cures.add(new Cure(device, kind, command, at));
  }

  private void alarm(long id, String device, String rule, Instant raisedAt) {
    alarms.add(
        new PlatformAlarm(
            id, device, rule, "active", raisedAt, Optional.empty(), Optional.empty(), List.of()));
  }

  private void ticket(long id, String device, String rule, Instant openedAt) {
    tickets.add(new PlatformTicket(id, device, Optional.of(rule), "open", openedAt));
  }
}
