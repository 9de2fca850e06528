package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.Rule;

/** Creates the monitor for a rule's kind. */
public final class RuleMonitors {

  private RuleMonitors() {}

  public static RuleMonitor create(Rule rule) {
    return switch (rule.kind()) {
      case THRESHOLD -> new ThresholdMonitor(rule);
      case DURATION -> new DurationMonitor(rule);
      case REPEATING -> new RepeatingMonitor(rule);
      case ABSENCE -> new AbsenceMonitor(rule);
      case STUCK -> new StuckMonitor(rule);
      case RATE_OF_CHANGE -> new RateOfChangeMonitor(rule);
      case FLAPPING -> new FlappingMonitor(rule);
      case EVENT -> new EventCountMonitor(rule);
      case FORECAST -> new ForecastMonitor(rule);
    };
  }
}
