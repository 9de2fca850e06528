package io.aftercare.diagnostics.condition;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import java.util.Map;

/**
 * The variables a condition may use, which depend on where in a rule it appears. Declaring them per
 * scope lets the type checker reject, at load time, a sample variable in an event filter.
 */
public enum ConditionScope {
  /** A rule's {@code device} guard: only the device's attributes. */
  DEVICE(Map.of("device", stringMap())),
  /** Levels, clear and repeating conditions evaluated on one metric sample. */
  SAMPLE(
      Map.of(
          "value", SimpleType.DOUBLE,
          "previous", SimpleType.DOUBLE,
          "delta", SimpleType.DOUBLE,
          "metrics", MapType.create(SimpleType.STRING, SimpleType.DOUBLE),
          "device", stringMap())),
  /**
   * A playbook step's precondition, checked just before its command would be sent: the latest
   * reported value of each of the device's metrics, whether it is connected, and how many of its
   * commands are not finished yet (0: idle).
   */
  PRECONDITION(
      Map.of(
          "metrics", MapType.create(SimpleType.STRING, SimpleType.DOUBLE),
          "online", SimpleType.BOOL,
          "open_commands", SimpleType.INT)),
  /**
   * A playbook step's expected outcome, checked when its fix's verification window passes: the
   * lowest, highest and latest value of each metric the device reported in the window.
   */
  EXPECT(
      Map.of(
          "min", MapType.create(SimpleType.STRING, SimpleType.DOUBLE),
          "max", MapType.create(SimpleType.STRING, SimpleType.DOUBLE),
          "latest", MapType.create(SimpleType.STRING, SimpleType.DOUBLE))),
  /** An event rule's filter. */
  EVENT(
      Map.of(
          "event", stringMap(),
          "metrics", MapType.create(SimpleType.STRING, SimpleType.DOUBLE),
          "device", stringMap()));

  private final Map<String, CelType> variables;

  ConditionScope(Map<String, CelType> variables) {
    this.variables = variables;
  }

  private static CelType stringMap() {
    return MapType.create(SimpleType.STRING, SimpleType.STRING);
  }

  Map<String, CelType> variables() {
    return variables;
  }
}
