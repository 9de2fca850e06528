package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.Rule;

/** Counts the device events that pass the rule's {@code event} filter. */
final class EventCountMonitor extends CountingMonitor {

  EventCountMonitor(Rule rule) {
    super(rule);
  }

  @Override
  public Verdict onEvent(EventVariables variables, long at) {
    return rule.eventFilter().test(variables) ? occurred(at) : expire(at);
  }
}
