package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.SeverityLevel;

/**
 * Raised once the lowest level's condition has held on every sample for {@code for}; the severity
 * is then the highest level holding at that sample. One sample outside the lowest level restarts
 * the clock, so a single spike never raises.
 */
final class DurationMonitor extends RuleMonitor {
  private static final long NOT_HOLDING = Long.MIN_VALUE;

  private final long holdMillis;
  private long holdingSince = NOT_HOLDING;

  DurationMonitor(Rule rule) {
    super(rule);
    this.holdMillis = rule.holdFor().toMillis();
  }

  @Override
  public Verdict onSample(SampleVariables variables, long at) {
    SeverityLevel level = highestHolding(variables);
    if (level == null) {
      holdingSince = NOT_HOLDING;
      return clearOrHold(variables);
    }
    if (holdingSince == NOT_HOLDING) {
      holdingSince = at;
    }
    return at - holdingSince >= holdMillis
        ? Verdict.raise(level.severity(), variables.value())
        : Verdict.HOLD;
  }

  @Override
  public void reset() {
    holdingSince = NOT_HOLDING;
  }
}
