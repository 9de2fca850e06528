package io.aftercare.diagnostics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.DiagnosticsEngine;
import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.condition.ConditionCompiler;
import io.aftercare.domain.Telemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleRegistryTest {
  private static final DeviceProfile HUB = new DeviceProfile("hub-1", "hub", "H2", "3.1.0");
  private static final String HUMIDITY_RULE =
      """
      rules:
        - id: humid
          kind: threshold
          metric: humidity_pct
          levels: [{severity: warning, when: "value > 80"}]
          clear: "value < 70"
          category: installation_environment
      """;

  @TempDir Path folder;
  private RuleRegistry registry;
  private DiagnosticsEngine engine;

  @BeforeEach
  void start() throws Exception {
    registry = RuleRegistry.start(new RuleLoader(new ConditionCompiler()), folder);
    engine = new DiagnosticsEngine(registry);
  }

  @Test
  void reloadPicksUpANewRuleWithoutRestart() throws IOException {
    assertThat(send(0, 90)).isEmpty();

    Files.writeString(folder.resolve("humidity.yaml"), HUMIDITY_RULE);
    RuleRegistry.ReloadOutcome outcome = registry.reload();

    assertThat(outcome.applied()).isTrue();
    assertThat(send(1, 90)).extracting(AlarmChange::ruleId).containsExactly("humid");
  }

  @Test
  void invalidFileIsRejectedAndTheLastGoodSetStaysActive() throws IOException {
    Files.writeString(folder.resolve("humidity.yaml"), HUMIDITY_RULE);
    registry.reload();
    RuleSet good = registry.get();

    Files.writeString(
        folder.resolve("humidity.yaml"), HUMIDITY_RULE.replace("value > 80", "value >>> 80"));
    RuleRegistry.ReloadOutcome outcome = registry.reload();

    assertThat(outcome.applied()).isFalse();
    assertThat(outcome.errors())
        .singleElement()
        .asString()
        .contains("humidity.yaml: rule 'humid': field 'levels[0].when': invalid CEL");
    assertThat(registry.get()).isSameAs(good);
    assertThat(send(1, 90)).extracting(AlarmChange::ruleId).containsExactly("humid");
  }

  @Test
  void reloadKeepsTheWindowsOfUnchangedRules() throws IOException {
    // Two of the three errors a repeated_errors alarm needs, then an unrelated reload.
    engine.onEvent(HUB, error(0));
    engine.onEvent(HUB, error(1));
    Files.writeString(folder.resolve("humidity.yaml"), HUMIDITY_RULE);
    registry.reload();

    assertThat(engine.onEvent(HUB, error(2)))
        .extracting(AlarmChange::ruleId)
        .containsExactly("repeated_errors");
  }

  private List<AlarmChange> send(int minute, double humidity) {
    return engine.onTelemetry(
        HUB,
        new Telemetry(
            HUB.id(),
            Instant.parse("2026-11-23T10:00:00Z").plusSeconds(60L * minute),
            true,
            Map.of("humidity_pct", humidity)));
  }

  private static io.aftercare.domain.DeviceEvent error(int minute) {
    return new io.aftercare.domain.DeviceEvent(
        HUB.id(),
        Instant.parse("2026-11-23T10:00:00Z").plusSeconds(60L * minute),
        "error",
        "E_ZIGBEE",
        "",
        null);
  }
}
