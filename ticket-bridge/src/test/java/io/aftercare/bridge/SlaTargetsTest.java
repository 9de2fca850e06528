package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.bridge.testing.TestBridgeConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which target applies to a case: the priority's, replaced by the most specific override. */
class SlaTargetsTest {

  private static SlaTargets with(Map<String, BridgeConfig.SlaOverride> overrides) {
    return new SlaTargets(new BridgeConfig.Sla(TestBridgeConfig.SLA_BY_PRIORITY, overrides));
  }

  private static BridgeConfig.SlaOverride override(
      String serviceType, String tier, String priority, Integer respond, Integer arrange) {
    return new BridgeConfig.SlaOverride(
        serviceType, tier, priority, hours(respond), hours(arrange), null);
  }

  @Test
  void withoutOverridesThePriorityDecides() {
    SlaTargets targets = with(Map.of());
    assertThat(targets.of(Priority.P3, "installation", "vip")).isEqualTo(target(24, 48, 48));
    assertThat(targets.of(Priority.P1, null, null)).isEqualTo(target(2, 12, 24));
  }

  @Test
  void theMostSpecificOverrideWinsTargetByTarget() {
    Map<String, BridgeConfig.SlaOverride> overrides = new LinkedHashMap<>();
    overrides.put("vip", override(null, "vip", null, 8, null));
    overrides.put("installations", override("installation", null, null, null, 72));
    overrides.put("vipInstallations", override("installation", "vip", null, 4, null));
    SlaTargets targets = with(overrides);

    // Respond from the two-matcher override, arrange from the service type's, repair: priority.
    assertThat(targets.of(Priority.P3, "installation", "vip")).isEqualTo(target(4, 72, 48));
    assertThat(targets.of(Priority.P3, "installation", "standard")).isEqualTo(target(24, 72, 48));
    assertThat(targets.of(Priority.P3, "maintenance", "vip")).isEqualTo(target(8, 48, 48));
  }

  @Test
  void amongEquallySpecificOverridesTheFirstWrittenWins() {
    Map<String, BridgeConfig.SlaOverride> overrides = new LinkedHashMap<>();
    overrides.put("repairs", override("repair", null, null, 12, null));
    overrides.put("premium", override(null, "premium", null, 6, null));
    assertThat(with(overrides).of(Priority.P4, "repair", "premium").respond())
        .isEqualTo(Duration.ofHours(12));
  }

  @Test
  void aDetectedFaultCountsAsARepair() {
    SlaTargets targets = with(Map.of("repairs", override("repair", null, "P4", 12, null)));
    assertThat(targets.of(Priority.P4, null, "standard").respond()).isEqualTo(Duration.ofHours(12));
    assertThat(targets.of(Priority.P3, null, "standard").respond()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void refusesIncompleteOrMistypedConfiguration() {
    Map<String, BridgeConfig.SlaTarget> noArrange =
        new LinkedHashMap<>(TestBridgeConfig.SLA_BY_PRIORITY);
    noArrange.put(
        "P2", new BridgeConfig.SlaTarget(Duration.ofHours(4), null, Duration.ofHours(48)));
    assertThatThrownBy(() -> new SlaTargets(new BridgeConfig.Sla(noArrange, Map.of())))
        .hasMessageContaining("tickets.sla.targets.P2");
    assertThatThrownBy(() -> with(Map.of("x", override("repairs", null, null, 1, null))))
        .hasMessageContaining("tickets.sla.overrides.x.serviceType");
    assertThatThrownBy(() -> with(Map.of("x", override(null, null, null, 1, null))))
        .hasMessageContaining("must match");
    assertThatThrownBy(() -> with(Map.of("x", override(null, "vip", "P9", 1, null))))
        .hasMessageContaining("tickets.sla.overrides.x.priority");
    assertThatThrownBy(() -> with(Map.of("x", override(null, "vip", null, null, null))))
        .hasMessageContaining("must set");
  }

  private static Duration hours(Integer hours) {
    return hours == null ? null : Duration.ofHours(hours);
  }

  private static BridgeConfig.SlaTarget target(int respond, int arrange, int repair) {
    return new BridgeConfig.SlaTarget(
        Duration.ofHours(respond), Duration.ofHours(arrange), Duration.ofHours(repair));
  }
}
