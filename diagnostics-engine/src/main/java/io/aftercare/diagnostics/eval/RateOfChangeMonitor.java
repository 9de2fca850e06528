package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.SeverityLevel;

/**
 * Sets {@code delta} to the change since the oldest sample still inside the window, then judges the
 * levels like a threshold rule. The window keeps at most {@code max_samples} samples; when a device
 * reports faster than that, the oldest are dropped and delta spans a shorter time.
 */
final class RateOfChangeMonitor extends RuleMonitor {
  private final long windowMillis;
  private final SampleRing samples;

  RateOfChangeMonitor(Rule rule) {
    super(rule);
    this.windowMillis = rule.window().toMillis();
    this.samples = new SampleRing(rule.maxSamples());
  }

  @Override
  public Verdict onSample(SampleVariables variables, long at) {
    samples.dropBefore(at - windowMillis);
    samples.append(at, variables.value());
    variables.setDelta(variables.value() - samples.value(0));
    SeverityLevel level = highestHolding(variables);
    return level != null
        ? Verdict.raise(level.severity(), variables.value())
        : clearOrHold(variables);
  }

  @Override
  public void reset() {
    samples.clear();
  }
}
