package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.rules.Severity;

/**
 * What one evaluation of a rule concluded for one device: the fault is present at a severity, gone,
 * or undecided (inside the hysteresis band, or not enough data yet).
 *
 * @param newOccurrence whether this evaluation saw fresh evidence (a sample, an event, a toggle),
 *     as opposed to a clock tick re-confirming a fault; only fresh evidence counts as a repeat
 * @param forecast a forecast rule's estimate of when its limit is reached, {@code null} otherwise
 */
public record Verdict(
    Outcome outcome, Severity severity, double value, boolean newOccurrence, Forecast forecast) {

  public enum Outcome {
    RAISE,
    CLEAR,
    HOLD
  }

  public static final Verdict HOLD = new Verdict(Outcome.HOLD, null, Double.NaN, false, null);
  public static final Verdict CLEAR = new Verdict(Outcome.CLEAR, null, Double.NaN, false, null);

  public static Verdict raise(Severity severity, double value) {
    return new Verdict(Outcome.RAISE, severity, value, true, null);
  }

  /** A forecast rule's raise, carrying the forecast the alarm should show. */
  public static Verdict raise(Severity severity, double value, Forecast forecast) {
    return new Verdict(Outcome.RAISE, severity, value, true, forecast);
  }

  public static Verdict confirm(Severity severity, double value) {
    return new Verdict(Outcome.RAISE, severity, value, false, null);
  }

  public static Verdict clearWith(double value) {
    return new Verdict(Outcome.CLEAR, null, value, false, null);
  }
}
