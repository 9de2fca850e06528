package io.aftercare.platform.fleet.firmware;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * The Poisson and binomial tails the firmware statistics need, as the regularized incomplete gamma
 * and beta functions of Commons Math: the tails themselves, not one minus the other side, so that
 * small tail probabilities keep their precision.
 */
final class Distributions {

  private Distributions() {}

  /** P(X ≤ k) for X ~ Poisson(mean). */
  static double poissonAtMost(long k, double mean) {
    return k < 0 ? 0 : Gamma.regularizedGammaQ(k + 1, mean);
  }

  /** P(X ≥ k) for X ~ Poisson(mean). */
  static double poissonAtLeast(long k, double mean) {
    return k <= 0 ? 1 : Gamma.regularizedGammaP(k, mean);
  }

  /** P(X ≥ k) for X ~ Binomial(n, p). */
  static double binomialAtLeast(long k, long n, double p) {
    if (k <= 0) {
      return 1;
    }
    if (k > n) {
      return 0;
    }
    return Beta.regularizedBeta(p, k, n - k + 1);
  }

  /** P(X ≤ k) for X ~ Binomial(n, p). */
  static double binomialAtMost(long k, long n, double p) {
    if (k < 0) {
      return 0;
    }
    if (k >= n) {
      return 1;
    }
    return Beta.regularizedBeta(1 - p, n - k, k + 1);
  }
}
