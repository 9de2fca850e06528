package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PriorityMatrixTest {

  private final PriorityMatrix matrix =
      new PriorityMatrix(
          new BridgeConfig.Priorities(
              Map.of("critical", "P1", "major", "P2", "minor", "P3", "warning", "P4"),
              Map.of("standard", 0, "premium", 1, "vip", 2),
              Map.of("lock", 1)));

  @Test
  void severityGivesTheBasePriority() {
    assertThat(matrix.priorityOf("major", "thermostat", "standard")).isEqualTo("P2");
    assertThat(matrix.priorityOf("warning", "plug", "standard")).isEqualTo("P4");
  }

  @Test
  void tierAndDeviceTypeRaiseItButNeverAboveP1() {
    assertThat(matrix.priorityOf("minor", "thermostat", "premium")).isEqualTo("P2");
    assertThat(matrix.priorityOf("minor", "lock", "vip")).isEqualTo("P1");
    assertThat(matrix.priorityOf("critical", "lock", "vip")).isEqualTo("P1");
  }
}
