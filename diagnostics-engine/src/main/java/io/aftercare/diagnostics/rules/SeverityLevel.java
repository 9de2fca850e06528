package io.aftercare.diagnostics.rules;

import io.aftercare.diagnostics.condition.Condition;
import java.time.Duration;

/**
 * One step of a rule's severity ladder. Exactly one of the four triggers is used, depending on the
 * rule's kind: a condition (threshold, duration, rate of change), an occurrence count (repeating,
 * flapping, event), an elapsed time (absence, stuck) or a forecast horizon (forecast: the limit is
 * forecast to be reached {@code within} that time).
 */
public record SeverityLevel(
    Severity severity, Condition condition, int count, Duration after, Duration within) {

  public static SeverityLevel onCondition(Severity severity, Condition condition) {
    return new SeverityLevel(severity, condition, 0, Duration.ZERO, Duration.ZERO);
  }

  public static SeverityLevel onCount(Severity severity, int count) {
    return new SeverityLevel(severity, null, count, Duration.ZERO, Duration.ZERO);
  }

  public static SeverityLevel after(Severity severity, Duration after) {
    return new SeverityLevel(severity, null, 0, after, Duration.ZERO);
  }

  public static SeverityLevel within(Severity severity, Duration within) {
    return new SeverityLevel(severity, null, 0, Duration.ZERO, within);
  }
}
