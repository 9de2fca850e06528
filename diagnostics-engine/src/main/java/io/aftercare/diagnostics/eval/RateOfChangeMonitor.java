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
  private final int capacity;
  private long[] times = new long[2];
  private double[] values = new double[2];
  private int start;
  private int size;

  RateOfChangeMonitor(Rule rule) {
    super(rule);
    this.windowMillis = rule.window().toMillis();
    this.capacity = rule.maxSamples();
  }

  @Override
  public Verdict onSample(SampleVariables variables, long at) {
    append(at, variables.value());
    variables.setDelta(variables.value() - values[start]);
    SeverityLevel level = highestHolding(variables);
    return level != null
        ? Verdict.raise(level.severity(), variables.value())
        : clearOrHold(variables);
  }

  private void append(long at, double value) {
    while (size > 0 && times[start] < at - windowMillis) {
      start = (start + 1) % times.length;
      size--;
    }
    if (size == capacity) {
      start = (start + 1) % times.length;
      size--;
    } else if (size == times.length) {
      grow();
    }
    int slot = (start + size) % times.length;
    times[slot] = at;
    values[slot] = value;
    size++;
  }

  private void grow() {
    int length = Math.min(capacity, times.length * 2);
    long[] newTimes = new long[length];
    double[] newValues = new double[length];
    for (int i = 0; i < size; i++) {
      newTimes[i] = times[(start + i) % times.length];
      newValues[i] = values[(start + i) % times.length];
    }
    times = newTimes;
    values = newValues;
    start = 0;
  }

  @Override
  public void reset() {
    size = 0;
    start = 0;
  }
}
