package io.aftercare.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmChangeType;
import io.aftercare.diagnostics.alarm.AlarmSnapshot;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.diagnostics.rules.Severity;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A restart must neither forget an open fault nor raise it a second time, and still clear it. */
class RestoreAfterRestartTest {
  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private static final DeviceProfile LOCK = new DeviceProfile("lock-7", "door_lock", "L1", "2.0.1");
  private static final DeviceProfile HUB = new DeviceProfile("hub-3", "hub", "H2", "3.1.0");
  private static RuleSet rules;

  @BeforeAll
  static void loadRules() throws Exception {
    rules = new RuleLoader(new ConditionCompiler()).loadDefaults();
  }

  @Test
  void thresholdAlarmSurvivesRestartIsUpdatedNotRaisedAndClears() {
    DiagnosticsEngine before = new DiagnosticsEngine(() -> rules);
    List<HistoryRecord> history = new ArrayList<>();
    Telemetry low = battery(0, 12);
    history.add(new HistoryRecord.TelemetryRecord(LOCK, low));
    assertThat(before.onTelemetry(LOCK, low))
        .extracting(AlarmChange::type)
        .containsExactly(AlarmChangeType.RAISED);

    DiagnosticsEngine after = restart(before, LOCK, history);

    assertThat(after.openAlarms(LOCK.id()))
        .extracting(AlarmSnapshot::ruleId)
        .containsExactly("battery_low");
    assertThat(after.onTelemetry(LOCK, battery(5, 11)))
        .extracting(AlarmChange::type)
        .containsExactly(AlarmChangeType.UPDATED);
    assertThat(after.onTelemetry(LOCK, battery(10, 60)))
        .extracting(AlarmChange::type)
        .containsExactly(AlarmChangeType.CLEARED);
  }

  @Test
  void replayRefillsCountingWindowsSoTheAlarmStillClearsOnTime() {
    DiagnosticsEngine before = new DiagnosticsEngine(() -> rules);
    List<HistoryRecord> history = new ArrayList<>();
    before.onConnectivity(HUB, LinkChange.CONNECTED, T0);
    history.add(new HistoryRecord.ConnectivityRecord(HUB, LinkChange.CONNECTED, T0));
    for (int minute = 0; minute < 3; minute++) {
      DeviceEvent error = error(minute);
      history.add(new HistoryRecord.EventRecord(HUB, error));
      before.onEvent(HUB, error);
    }
    assertThat(before.openAlarms(HUB.id()))
        .extracting(AlarmSnapshot::ruleId)
        .containsExactly("repeated_errors");

    DiagnosticsEngine after = restart(before, HUB, history);

    assertThat(after.onEvent(HUB, error(10)))
        .extracting(AlarmChange::type)
        .containsExactly(AlarmChangeType.UPDATED);
    // Window of one hour: the errors at 0-2 min expire, the one at 10 min keeps it open...
    assertThat(after.tick(T0.plusSeconds(65 * 60))).isEmpty();
    // ...until it expires too.
    assertThat(after.tick(T0.plusSeconds(71 * 60)))
        .extracting(AlarmChange::type, AlarmChange::ruleId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AlarmChangeType.CLEARED, "repeated_errors"));
  }

  @Test
  void openAbsenceAlarmIsNotRaisedAgainAndClearsWhenTheDeviceReturns() {
    DiagnosticsEngine before = new DiagnosticsEngine(() -> rules);
    before.trackDevice(HUB, T0, false);
    assertThat(before.tick(T0.plusSeconds(20 * 60)))
        .extracting(AlarmChange::type)
        .containsExactly(AlarmChangeType.RAISED);

    DiagnosticsEngine after = new DiagnosticsEngine(() -> rules);
    after.restore(before.openAlarms(HUB.id()), List.of());
    after.trackDevice(HUB, T0, false);

    assertThat(after.tick(T0.plusSeconds(30 * 60))).isEmpty();
    assertThat(after.tick(T0.plusSeconds(3 * 3600)))
        .extracting(AlarmChange::type, AlarmChange::severity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AlarmChangeType.ESCALATED, Severity.CRITICAL));
    assertThat(after.onConnectivity(HUB, LinkChange.CONNECTED, T0.plusSeconds(4 * 3600)))
        .extracting(AlarmChange::type)
        .containsExactly(AlarmChangeType.CLEARED);
  }

  @Test
  void thePlatformsOutageIsNotCountedAsTheDevicesSilence() {
    DeviceProfile quietHub = new DeviceProfile("hub-9", "hub", "H2", "3.1.0");
    DiagnosticsEngine engine = new DiagnosticsEngine(() -> rules);
    // The platform stops at T0 + 1 min and is back an hour later. HUB was heard at T0, its
    // disconnect recorded at the stop; the quiet hub had gone silent 20 minutes before T0.
    Instant stopped = T0.plusSeconds(60);
    Instant restarted = stopped.plusSeconds(3600);
    engine.trackDevice(HUB, stopped, false);
    engine.trackDevice(quietHub, T0.minusSeconds(20 * 60), false);
    engine.restore(
        List.of(), List.of(new HistoryRecord.ConnectivityRecord(HUB, LinkChange.ENDED, stopped)));
    engine.leaveOutOutage(stopped, restarted);

    // device_offline raises after 15 minutes of silence. The quiet hub's 21 heard minutes are
    // enough; HUB, still reconnecting a minute after the restart, has been heard silent for one.
    assertThat(engine.tick(restarted.plusSeconds(60)))
        .extracting(AlarmChange::deviceId, AlarmChange::ruleId, AlarmChange::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("hub-9", "device_offline", AlarmChangeType.RAISED));
    // HUB never comes back: raised once its silence, counted from the restart, reaches 15 minutes.
    assertThat(engine.tick(restarted.plusSeconds(14 * 60))).isEmpty();
    assertThat(engine.tick(restarted.plusSeconds(15 * 60)))
        .extracting(AlarmChange::deviceId, AlarmChange::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("hub-3", AlarmChangeType.RAISED));
  }

  @Test
  void replayNeverEmitsChangesEvenForFaultsInTheHistory() {
    DiagnosticsEngine engine = new DiagnosticsEngine(() -> rules);
    engine.restore(List.of(), List.of(new HistoryRecord.TelemetryRecord(LOCK, battery(0, 3))));

    // The history held a fault but no open alarm was persisted: the database is the truth, and
    // the next live sample raises it.
    assertThat(engine.openAlarms(LOCK.id())).isEmpty();
    assertThat(engine.onTelemetry(LOCK, battery(1, 3)))
        .extracting(AlarmChange::type)
        .containsExactly(AlarmChangeType.RAISED);
  }

  @Test
  void forecastWindowIsRebuiltFromHistorySoTheWarningGoesOnWithItsForecast() {
    DiagnosticsEngine before = new DiagnosticsEngine(() -> rules);
    List<HistoryRecord> history = new ArrayList<>();
    List<AlarmChange> raised = new ArrayList<>();
    // Flat for ten minutes, then 3 % a minute: battery_drain_forecast warns at minute 15.
    for (int minute = 0; minute <= 15; minute++) {
      Telemetry reading = battery(minute, minute <= 10 ? 80 : 80 - 3.0 * (minute - 10));
      history.add(new HistoryRecord.TelemetryRecord(LOCK, reading));
      raised.addAll(before.onTelemetry(LOCK, reading));
    }
    assertThat(raised)
        .extracting(AlarmChange::type, AlarmChange::ruleId)
        .containsExactly(tuple(AlarmChangeType.RAISED, "battery_drain_forecast"));

    DiagnosticsEngine rebuilt = restart(before, LOCK, history);
    DiagnosticsEngine withoutHistory = restart(before, LOCK, List.of());

    List<AlarmChange> next = rebuilt.onTelemetry(LOCK, battery(16, 62));
    assertThat(next)
        .singleElement()
        .satisfies(
            change -> {
              assertThat(change.type()).isEqualTo(AlarmChangeType.UPDATED);
              assertThat(change.alarm().forecast().points()).isEqualTo(11);
              assertThat(change.alarm().forecast().summary()).startsWith("battery empty in about");
            });
    // The same sample on an engine given only the open alarm: one point is no trend.
    assertThat(withoutHistory.onTelemetry(LOCK, battery(16, 62))).isEmpty();
  }

  private static DiagnosticsEngine restart(
      DiagnosticsEngine before, DeviceProfile device, List<HistoryRecord> history) {
    List<AlarmSnapshot> persisted = before.openAlarms(device.id());
    DiagnosticsEngine after = new DiagnosticsEngine(() -> rules);
    after.restore(persisted, history);
    return after;
  }

  private static Telemetry battery(int minute, double pct) {
    return new Telemetry(LOCK.id(), T0.plusSeconds(60L * minute), true, Map.of("battery_pct", pct));
  }

  private static DeviceEvent error(int minute) {
    return new DeviceEvent(HUB.id(), T0.plusSeconds(60L * minute), "error", "E_ZIGBEE", "", null);
  }
}
