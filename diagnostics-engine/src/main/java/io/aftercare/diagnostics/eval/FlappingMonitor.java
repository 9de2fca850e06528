package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.LinkChange;
import io.aftercare.diagnostics.rules.Rule;

/**
 * Counts changes of a boolean metric (non-zero is "on"; the first observation only sets the state)
 * or, when the rule names no metric, the device's dropped connections: a link that ends cleanly (a
 * device that connects, reports and says goodbye) is not flapping.
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
  public Verdict onConnectivity(LinkChange change, long at) {
    if (!rule.watchesConnectivity()) {
      return Verdict.HOLD;
    }
    return change == LinkChange.DROPPED ? occurred(at) : expire(at);
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
