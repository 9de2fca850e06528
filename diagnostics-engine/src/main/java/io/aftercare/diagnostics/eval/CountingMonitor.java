package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.SeverityLevel;

/**
 * Shared logic of the counting kinds (repeating, flapping, event): each occurrence goes into a
 * window; reaching a level's count raises at that level, and the fault clears once fewer than
 * {@code clear_below} occurrences remain in the window (checked on every occurrence and tick).
 */
abstract class CountingMonitor extends RuleMonitor {
  private final TimeWindow window;

  CountingMonitor(Rule rule) {
    super(rule);
    this.window = new TimeWindow(rule.window().toMillis(), rule.highestCount());
  }

  /** Records one occurrence at {@code at} and judges the window. */
  protected Verdict occurred(long at) {
    window.add(at);
    SeverityLevel reached = null;
    for (SeverityLevel level : rule.levels()) {
      if (window.size() >= level.count()) {
        reached = level;
      }
    }
    return reached != null ? Verdict.raise(reached.severity(), window.size()) : judgeQuiet();
  }

  /** Judges the window without a new occurrence. */
  protected Verdict expire(long now) {
    window.expire(now);
    return judgeQuiet();
  }

  private Verdict judgeQuiet() {
    return window.size() < rule.clearBelow() ? Verdict.clearWith(window.size()) : Verdict.HOLD;
  }

  @Override
  public Verdict onTick(long now, DeviceActivity activity) {
    return expire(now);
  }

  @Override
  public void reset() {
    window.clear();
  }
}
