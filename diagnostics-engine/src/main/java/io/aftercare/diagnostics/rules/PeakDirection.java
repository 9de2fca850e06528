package io.aftercare.diagnostics.rules;

/** Which extreme of the observed values an alarm reports as its peak (lowest battery, hottest). */
public enum PeakDirection {
  MAX,
  MIN;

  public double worse(double current, double candidate) {
    return this == MAX ? Math.max(current, candidate) : Math.min(current, candidate);
  }
}
