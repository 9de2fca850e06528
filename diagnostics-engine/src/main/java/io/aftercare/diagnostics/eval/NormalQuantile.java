package io.aftercare.diagnostics.eval;

import org.apache.commons.math3.special.Erf;

/**
 * The standard normal quantile (inverse CDF), through Commons Math's inverse error function: turns
 * a forecast rule's {@code confidence} into the z of its slope bound, once per monitor, without the
 * allocation of a distribution object per monitor.
 */
final class NormalQuantile {

  private NormalQuantile() {}

  /** The z with P(Z ≤ z) = {@code p}, for 0 < p < 1. */
  static double of(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be between 0 and 1: " + p);
    }
    return Math.sqrt(2) * Erf.erfInv(2 * p - 1);
  }
}
