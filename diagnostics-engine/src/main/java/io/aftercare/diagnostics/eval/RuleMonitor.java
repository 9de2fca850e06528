package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.LinkChange;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.SeverityLevel;

/**
 * Evaluates one rule for one device and keeps whatever per-device memory the rule's kind needs (a
 * window, a start time). Each hook returns a {@link Verdict}; the alarm book turns verdicts into
 * alarm changes, so monitors know nothing of alarms. Monitors without per-device memory are shared
 * by all devices ({@link #isShareable()}). Times are epoch milliseconds, taken from the data and
 * never from the wall clock, and arrive in non-decreasing order per device.
 */
public abstract class RuleMonitor {
  protected final Rule rule;

  protected RuleMonitor(Rule rule) {
    this.rule = rule;
  }

  public Rule rule() {
    return rule;
  }

  /** A sample of the rule's metric; {@code variables} already hold value, previous and metrics. */
  public Verdict onSample(SampleVariables variables, long at) {
    return Verdict.HOLD;
  }

  /** An event from the device (event rules filter it themselves). */
  public Verdict onEvent(EventVariables variables, long at) {
    return Verdict.HOLD;
  }

  /** The device sent something: telemetry or an event. */
  public Verdict onActivity(long at) {
    return Verdict.HOLD;
  }

  /** The device's link changed. */
  public Verdict onConnectivity(LinkChange change, long at) {
    return Verdict.HOLD;
  }

  /** Time passed with nothing from this device: windows expire, silences grow. */
  public Verdict onTick(long now, DeviceActivity activity) {
    return Verdict.HOLD;
  }

  /** Forgets this device's memory, e.g. after staff cleared the alarm by a verified fix. */
  public void reset() {}

  public boolean isShareable() {
    return false;
  }

  /** The most severe level whose condition holds for this sample, or {@code null}. */
  protected SeverityLevel highestHolding(SampleVariables variables) {
    for (int i = rule.levels().size() - 1; i >= 0; i--) {
      SeverityLevel level = rule.levels().get(i);
      if (level.condition().test(variables)) {
        return level;
      }
    }
    return null;
  }

  /**
   * Hysteresis: with a clear condition the fault clears only when it holds, else when no level
   * does.
   */
  protected Verdict clearOrHold(SampleVariables variables) {
    if (rule.clearCondition() == null || rule.clearCondition().test(variables)) {
      return Verdict.clearWith(variables.value());
    }
    return Verdict.HOLD;
  }
}
