package io.aftercare.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmChangeType;
import io.aftercare.diagnostics.alarm.AlarmStatus;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.DiagnosisCategory;
import io.aftercare.diagnostics.rules.Remedy;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlarmLifecycleTest {
  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private static final DeviceProfile CAMERA = new DeviceProfile("cam-1", "camera", "C3", "5.2.0");
  private DiagnosticsEngine engine;

  @BeforeEach
  void engine() throws Exception {
    var rules = new RuleLoader(new ConditionCompiler()).loadDefaults();
    engine = new DiagnosticsEngine(() -> rules);
    engine.onConnectivity(CAMERA, LinkChange.CONNECTED, T0);
  }

  @Test
  void raisedChangeCarriesWhatRemoteFixFirstNeeds() {
    List<AlarmChange> changes = rebootAt(0, 1, 2);

    AlarmChange raised = changes.get(changes.size() - 1);
    assertThat(raised.type()).isEqualTo(AlarmChangeType.RAISED);
    assertThat(raised.category()).isEqualTo(DiagnosisCategory.SOFTWARE);
    assertThat(raised.remedies()).containsExactly(new Remedy("firmware_rollback", Map.of()));
    assertThat(raised.openTicket()).isTrue();
    assertThat(raised.alarm().count()).isEqualTo(1);
    assertThat(raised.alarm().status()).isEqualTo(AlarmStatus.ACTIVE);
  }

  @Test
  void acknowledgeRecordsActorAndTimeAndKeepsTheAlarmOpen() {
    rebootAt(0, 1, 2);

    AlarmChange ack =
        engine.acknowledge(CAMERA.id(), "reboot_loop", "alice", T0.plusSeconds(300)).orElseThrow();

    assertThat(ack.type()).isEqualTo(AlarmChangeType.ACKNOWLEDGED);
    assertThat(ack.actor()).isEqualTo("alice");
    assertThat(ack.alarm().acknowledgedBy()).isEqualTo("alice");
    assertThat(ack.alarm().acknowledgedAt()).isEqualTo(T0.plusSeconds(300));
    assertThat(engine.openAlarms(CAMERA.id()))
        .singleElement()
        .extracting(a -> a.status())
        .isEqualTo(AlarmStatus.ACKNOWLEDGED);
  }

  @Test
  void verifiedFixClearsAndOldEvidenceDoesNotReraise() {
    rebootAt(0, 1, 2);

    AlarmChange cleared =
        engine
            .clearVerifiedFix(CAMERA.id(), "reboot_loop", "bob", T0.plusSeconds(600))
            .orElseThrow();

    assertThat(cleared.type()).isEqualTo(AlarmChangeType.CLEARED);
    assertThat(cleared.actor()).isEqualTo("bob");
    assertThat(engine.openAlarms(CAMERA.id())).isEmpty();
    // One more reboot after the fix is not a loop: the window was reset by the verified fix.
    assertThat(rebootAt(11)).isEmpty();
  }

  @Test
  void repeatsUpdateCountLastSeenAndPeak() {
    engine.onTelemetry(CAMERA, battery(0, 15));
    engine.onTelemetry(CAMERA, battery(1, 12));
    AlarmChange update = engine.onTelemetry(CAMERA, battery(2, 13)).get(0);

    assertThat(update.type()).isEqualTo(AlarmChangeType.UPDATED);
    assertThat(update.alarm().count()).isEqualTo(3);
    assertThat(update.alarm().peakValue()).isEqualTo(12.0);
    assertThat(update.alarm().lastValue()).isEqualTo(13.0);
    assertThat(update.alarm().lastSeenAt()).isEqualTo(T0.plusSeconds(120));
    assertThat(update.alarm().raisedAt()).isEqualTo(T0);
  }

  @Test
  void lateDataOlderThanWhatWasEvaluatedIsIgnored() {
    engine.onTelemetry(CAMERA, battery(10, 50));

    assertThat(engine.onTelemetry(CAMERA, battery(5, 2))).isEmpty();
  }

  private List<AlarmChange> rebootAt(int... minutes) {
    List<AlarmChange> changes = new ArrayList<>();
    for (int minute : minutes) {
      changes.addAll(
          engine.onEvent(
              CAMERA,
              new DeviceEvent(
                  CAMERA.id(), T0.plusSeconds(60L * minute), "reboot", "R_WATCHDOG", "", null)));
    }
    return changes;
  }

  private static Telemetry battery(int minute, double pct) {
    return new Telemetry(
        CAMERA.id(), T0.plusSeconds(60L * minute), true, Map.of("battery_pct", pct));
  }
}
