package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.Rule;

/** Counts the samples meeting the rule's {@code condition}, e.g. uptime going backwards. */
final class RepeatingMonitor extends CountingMonitor {

  RepeatingMonitor(Rule rule) {
    super(rule);
  }

  @Override
  public Verdict onSample(SampleVariables variables, long at) {
    return rule.sampleCondition().test(variables) ? occurred(at) : expire(at);
  }
}
