package io.aftercare.platform.fleet.firmware;

/**
 * The few distribution functions the firmware statistics need, written out rather than pulled in
 * with a numerics library: the regularized incomplete gamma function (Poisson tails) and the
 * regularized incomplete beta function (binomial tails), by the series and continued fractions of
 * Numerical Recipes (2nd ed., 6.1, 6.2, 6.4), accurate to about 1e-12.
 */
final class Distributions {

  private static final int MAX_ITERATIONS = 10_000;
  private static final double EPSILON = 1e-15;
  private static final double TINY = 1e-300;

  private static final double[] LANCZOS = {
    76.18009172947146,
    -86.50532032941677,
    24.01409824083091,
    -1.231739572450155,
    0.1208650973866179e-2,
    -0.5395239384953e-5
  };

  private Distributions() {}

  /** ln Γ(x) for x > 0 (Lanczos). */
  static double logGamma(double x) {
    double y = x;
    double tmp = x + 5.5;
    tmp -= (x + 0.5) * Math.log(tmp);
    double series = 1.000000000190015;
    for (double coefficient : LANCZOS) {
      series += coefficient / ++y;
    }
    return -tmp + Math.log(2.5066282746310005 * series / x);
  }

  /** P(a, x) = γ(a, x) / Γ(a): the probability that a Gamma(a, 1) variable is at most x. */
  static double regularizedGammaP(double a, double x) {
    if (x <= 0) {
      return 0;
    }
    return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
  }

  /** Q(a, x) = 1 - P(a, x), computed directly so that small tails keep their precision. */
  static double regularizedGammaQ(double a, double x) {
    if (x <= 0) {
      return 1;
    }
    return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
  }

  /** P(X ≤ k) for X ~ Poisson(mean). */
  static double poissonAtMost(long k, double mean) {
    return k < 0 ? 0 : regularizedGammaQ(k + 1, mean);
  }

  /** P(X ≥ k) for X ~ Poisson(mean). */
  static double poissonAtLeast(long k, double mean) {
    return k <= 0 ? 1 : regularizedGammaP(k, mean);
  }

  /** I_x(a, b): the probability that a Beta(a, b) variable is at most x. */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front =
        Math.exp(
            logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
    // The continued fraction converges fast only on one side of the mean: use the symmetry there.
    if (x < (a + 1) / (a + b + 2)) {
      return front * betaContinuedFraction(x, a, b) / a;
    }
    return 1 - front * betaContinuedFraction(1 - x, b, a) / b;
  }

  /** P(X ≥ k) for X ~ Binomial(n, p). */
  static double binomialAtLeast(long k, long n, double p) {
    if (k <= 0) {
      return 1;
    }
    if (k > n) {
      return 0;
    }
    return regularizedBeta(p, k, n - k + 1);
  }

  /** P(X ≤ k) for X ~ Binomial(n, p). */
  static double binomialAtMost(long k, long n, double p) {
    return 1 - binomialAtLeast(k + 1, n, p);
  }

  private static double gammaSeries(double a, double x) {
    double sum = 1 / a;
    double term = sum;
    double ap = a;
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      ap++;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) {
        break;
      }
    }
    return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }

  /** Q(a, x) by Lentz's continued fraction, for x ≥ a + 1. */
  private static double gammaContinuedFraction(double a, double x) {
    double b = x + 1 - a;
    double c = 1 / TINY;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < MAX_ITERATIONS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = b + an / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPSILON) {
        break;
      }
    }
    return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }

  private static double betaContinuedFraction(double x, double a, double b) {
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    if (Math.abs(d) < TINY) {
      d = TINY;
    }
    d = 1 / d;
    double h = d;
    for (int m = 1; m < MAX_ITERATIONS; m++) {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 + aa * d;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = 1 + aa / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = 1 + aa / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPSILON) {
        break;
      }
    }
    return h;
  }
}
