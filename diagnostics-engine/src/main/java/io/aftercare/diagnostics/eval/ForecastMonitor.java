package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.ForecastSettings;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.SeverityLevel;
import java.time.Instant;

/**
 * Forecasts when a falling metric reaches its limit, from a Theil–Sen line over the thinned window
 * (see {@link TheilSen}, {@link ThinnedWindow}), and warns ahead of it. A level is reached when the
 * window holds at least {@code min_points} points spanning {@code min_span}, the slope's upper
 * confidence bound is below zero (the fall is real, not noise) and the line reaches the limit
 * within the level's {@code within}. While the warning stands, every sample refreshes its forecast;
 * it clears when the fitted slope is no longer negative (the fall stopped or reversed) or the limit
 * is forecast beyond {@code clear_beyond}. In between, a warning that was given is kept, with the
 * fresh forecast, and one that was not is not given.
 */
final class ForecastMonitor extends RuleMonitor {
  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  private final ForecastSettings settings;
  private final ThinnedWindow window;
  private final double z;
  private final long minSpanMillis;
  private final long clearBeyondMillis;

  /** Whether this monitor's last word on the device was a warning. */
  private boolean warning;

  ForecastMonitor(Rule rule) {
    super(rule);
    this.settings = rule.forecast();
    this.window = new ThinnedWindow(rule.window().toMillis(), settings.maxPoints());
    this.z = NormalQuantile.of(settings.confidence());
    this.minSpanMillis = settings.minSpan().toMillis();
    this.clearBeyondMillis = settings.clearBeyond().toMillis();
  }

  @Override
  public Verdict onSample(SampleVariables variables, long at) {
    double value = variables.value();
    window.add(at, value);
    if (window.size() < settings.minPoints() || window.span() < minSpanMillis) {
      return Verdict.HOLD;
    }
    TheilSen.Fit fit = TheilSen.fit(window, z);
    if (fit.slope() >= 0) {
      return clear(value);
    }
    long remaining =
        fit.level() <= settings.limit()
            ? 0
            : (long) Math.min(Long.MAX_VALUE / 2.0, (settings.limit() - fit.level()) / fit.slope());
    if (remaining > clearBeyondMillis) {
      return clear(value);
    }
    Forecast forecast = forecast(fit, at, remaining);
    SeverityLevel reached = fit.upperSlope() < 0 ? levelFor(remaining) : null;
    if (reached != null) {
      warning = true;
      return Verdict.raise(reached.severity(), value, forecast);
    }
    return warning ? Verdict.raise(rule.levels().get(0).severity(), value, forecast) : Verdict.HOLD;
  }

  private Verdict clear(double value) {
    warning = false;
    return Verdict.clearWith(value);
  }

  /** The most severe level whose horizon the forecast falls within, or {@code null}. */
  private SeverityLevel levelFor(long remainingMillis) {
    for (int i = rule.levels().size() - 1; i >= 0; i--) {
      SeverityLevel level = rule.levels().get(i);
      if (remainingMillis <= level.within().toMillis()) {
        return level;
      }
    }
    return null;
  }

  private Forecast forecast(TheilSen.Fit fit, long at, long remainingMillis) {
    return new Forecast(
        rule.metric(),
        settings.limit(),
        settings.limitLabel(),
        Instant.ofEpochMilli(at),
        Instant.ofEpochMilli(at + remainingMillis),
        fit.level(),
        fit.slope() * MILLIS_PER_HOUR,
        window.size());
  }

  @Override
  public void reset() {
    window.clear();
    warning = false;
  }
}
