package io.aftercare.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.diagnostics.rules.RuleLoader;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.domain.Telemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules can target devices by model and firmware, and follow a device through an update. */
class DeviceAttributesTest {
  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

  @TempDir Path folder;

  @Test
  void deviceGuardSelectsByFirmwareAndFollowsAFirmwareUpdate() throws Exception {
    Files.writeString(
        folder.resolve("firmware.yaml"),
        """
        rules:
          - id: known_bad_firmware_heat
            kind: threshold
            device_types: [plug]
            device: 'device.firmware.startsWith("2.0.") && device.model == "P1"'
            metric: device_temp_c
            levels: [{severity: minor, when: "value > 50"}]
            clear: "value < 45"
            category: software
            remedies: [{command: ota_update, params: {version: "2.1.0"}}]
        """);
    RuleSet rules = new RuleLoader(new ConditionCompiler()).load(folder);
    DiagnosticsEngine engine = new DiagnosticsEngine(() -> rules);
    DeviceProfile affected = new DeviceProfile("plug-1", "plug", "P1", "2.0.3");
    DeviceProfile otherModel = new DeviceProfile("plug-2", "plug", "P2", "2.0.3");

    assertThat(ruleIds(engine.onTelemetry(affected, hot(affected, 0))))
        .containsExactly("known_bad_firmware_heat");
    assertThat(engine.onTelemetry(otherModel, hot(otherModel, 0))).isEmpty();

    DeviceProfile updated = new DeviceProfile("plug-1", "plug", "P1", "2.1.0");
    engine.clearVerifiedFix("plug-1", "known_bad_firmware_heat", "ota", T0.plusSeconds(60));
    assertThat(engine.onTelemetry(updated, hot(updated, 2))).isEmpty();
  }

  @Test
  void conditionsSeeTheOtherMetricsOfTheSameDocument() throws Exception {
    Files.writeString(
        folder.resolve("cross.yaml"),
        """
        rules:
          - id: heating_with_window_open
            kind: threshold
            device_types: [thermostat]
            metric: heating_pct
            levels: [{severity: warning, when: "value > 50 && metrics.window_open == 1.0"}]
            category: installation_environment
        """);
    RuleSet rules = new RuleLoader(new ConditionCompiler()).load(folder);
    DiagnosticsEngine engine = new DiagnosticsEngine(() -> rules);
    DeviceProfile thermostat = new DeviceProfile("t-1", "thermostat", "T", "1.0.0");

    List<AlarmChange> changes =
        engine.onTelemetry(
            thermostat,
            new Telemetry("t-1", T0, true, Map.of("heating_pct", 80.0, "window_open", 1.0)));

    assertThat(ruleIds(changes)).containsExactly("heating_with_window_open");
  }

  private static Telemetry hot(DeviceProfile device, int minute) {
    return new Telemetry(
        device.id(), T0.plusSeconds(60L * minute), true, Map.of("device_temp_c", 55.0));
  }

  private static List<String> ruleIds(List<AlarmChange> changes) {
    return changes.stream().map(AlarmChange::ruleId).toList();
  }
}
