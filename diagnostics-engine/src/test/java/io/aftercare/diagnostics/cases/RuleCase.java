package io.aftercare.diagnostics.cases;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.LinkChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One rule test written as data: a device, what happens to it, and the alarm changes the default
 * pack must produce, exactly. Times are offsets from {@link RuleCaseRunner#EPOCH}.
 *
 * @param rule the rule the case is about; a case is positive for it when it expects a RAISED of it
 * @param includeUpdates whether UPDATED changes are part of the expectation
 */
record RuleCase(
    String file,
    String name,
    String rule,
    DeviceProfile device,
    boolean includeUpdates,
    List<Step> steps,
    List<Expected> expected) {

  /** Something that happens to the device; {@code repeat} copies it every {@code every}. */
  record Step(
      Duration at,
      Map<String, Double> telemetry,
      String eventType,
      String eventCode,
      LinkChange connectivity,
      boolean tick,
      int repeat,
      Duration every) {}

  /** An expected alarm change; {@code severity} null means "any". */
  record Expected(Duration at, String type, String rule, String severity) {}

  boolean isPositive() {
    return expected.stream().anyMatch(e -> e.type().equals("raised") && e.rule().equals(rule));
  }

  @Override
  public String toString() {
    return file + ": " + name;
  }
}
