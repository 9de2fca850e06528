package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.SeverityLevel;

/**
 * Raised when at least {@code samples} consecutive samples stayed within {@code tolerance} of the
 * first of them and a level's {@code after} has passed since; cleared by the first sample that
 * moves. Only three numbers of memory, however long the run.
 */
final class StuckMonitor extends RuleMonitor {
  private double runValue = Double.NaN;
  private int runLength;
  private long runStart;

  StuckMonitor(Rule rule) {
    super(rule);
  }

  @Override
  public Verdict onSample(SampleVariables variables, long at) {
    double value = variables.value();
    if (runLength > 0 && Math.abs(value - runValue) <= rule.tolerance()) {
      runLength++;
    } else {
      boolean wasRun = runLength > 0;
      runValue = value;
      runLength = 1;
      runStart = at;
      return wasRun ? Verdict.clearWith(value) : Verdict.HOLD;
    }
    if (runLength < rule.samples()) {
      return Verdict.HOLD;
    }
    SeverityLevel reached = null;
    for (SeverityLevel level : rule.levels()) {
      if (at - runStart >= level.after().toMillis()) {
        reached = level;
      }
    }
    return reached == null ? Verdict.HOLD : Verdict.raise(reached.severity(), value);
  }

  @Override
  public void reset() {
    runLength = 0;
    runValue = Double.NaN;
  }
}
