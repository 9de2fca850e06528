package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.SeverityLevel;

/** Raised by the first sample that meets a level; needs no memory, so one instance serves all. */
final class ThresholdMonitor extends RuleMonitor {

  ThresholdMonitor(Rule rule) {
    super(rule);
  }

  @Override
  public Verdict onSample(SampleVariables variables, long at) {
    SeverityLevel level = highestHolding(variables);
    return level != null
        ? Verdict.raise(level.severity(), variables.value())
        : clearOrHold(variables);
  }

  @Override
  public boolean isShareable() {
    return true;
  }
}
