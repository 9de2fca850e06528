package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.Rule;

/**
 * Counts changes of a two-state signal: a boolean metric (non-zero is "on") or, when the rule names
 * no metric, the device's online/offline state. The first observation only sets the state.
 */
final class FlappingMonitor extends CountingMonitor {
  private static final byte UNKNOWN = -1;

  private byte state = UNKNOWN;

  FlappingMonitor(Rule rule) {
    super(rule);
  }

  @Override
  public Verdict onSample(SampleVariables variables, long at) {
    return observe(variables.value() != 0.0, at);
  }

  @Override
  public Verdict onConnectivity(boolean online, long at) {
    return rule.watchesConnectivity() ? observe(online, at) : Verdict.HOLD;
  }

  private Verdict observe(boolean on, long at) {
    byte next = on ? (byte) 1 : (byte) 0;
    boolean toggled = state != UNKNOWN && state != next;
    state = next;
    return toggled ? occurred(at) : expire(at);
  }

  @Override
  public void reset() {
    super.reset();
    state = UNKNOWN;
  }
}
