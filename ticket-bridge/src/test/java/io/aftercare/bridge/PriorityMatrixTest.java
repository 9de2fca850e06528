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
    assertThat(matrix.priorityOf(Severity.MAJOR, "thermostat", "standard")).isEqualTo(Priority.P2);
    assertThat(matrix.priorityOf(Severity.WARNING, "plug", "standard")).isEqualTo(Priority.P4);
  }

  @Test
  void tierAndDeviceTypeRaiseItButNeverAboveP1() {
    assertThat(matrix.priorityOf(Severity.MINOR, "thermostat", "premium")).isEqualTo(Priority.P2);
    assertThat(matrix.priorityOf(Severity.MINOR, "lock", "vip")).isEqualTo(Priority.P1);
    assertThat(matrix.priorityOf(Severity.CRITICAL, "lock", "vip")).isEqualTo(Priority.P1);
  }
}
