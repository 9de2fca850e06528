package io.aftercare.platform.fleet.firmware;

import java.util.function.DoubleUnaryOperator;

/**
 * Alarm rates as Poisson counts over an exposure in device-days: a rate with its exact (Garwood)
 * interval, and the comparison of two rates by the exact conditional binomial test. Given the total
 * n = k₁ + k₀ alarms of two versions, under equal rates the new version's share k₁ is Binomial(n,
 * E₁ / (E₁ + E₀)) whatever the common rate is, so the test is exact for small counts and needs no
 * normal approximation; its Clopper–Pearson interval for the share gives the rate ratio's interval.
 * See docs/diagnostics.md, Firmware regression guard.
 */
public final class PoissonRates {

  /** Rates are reported per this many device-days. */
  static final double PER_DEVICE_DAYS = 1000;

  private static final int BISECTIONS = 200;

  private PoissonRates() {}

  /** The rate of {@code alarms} over {@code deviceDays}, with its two-sided 1 - α interval. */
  public static RateEstimate rate(long alarms, double deviceDays, double alpha) {
    if (deviceDays <= 0) {
      return new RateEstimate(alarms, deviceDays, null, null, null);
    }
    double lowMean =
        alarms == 0
            ? 0
            : solveIncreasing(
                mean -> Distributions.poissonAtLeast(alarms, mean), alpha / 2, meanCeiling(alarms));
    double highMean =
        solveIncreasing(
            mean -> 1 - Distributions.poissonAtMost(alarms, mean),
            1 - alpha / 2,
            meanCeiling(alarms));
    double scale = PER_DEVICE_DAYS / deviceDays;
    return new RateEstimate(alarms, deviceDays, alarms * scale, lowMean * scale, highMean * scale);
  }

  /**
   * Compares a version's count with its predecessor's. Too little data when either exposure is
   * under {@code thresholds.minDeviceDays()} or the two have fewer than {@code
   * thresholds.minAlarms()} alarms together; otherwise worse or better when the two-sided p-value
   * is under α, else the same.
   */
  public static RateComparison compare(
      String previousFirmware,
      RateEstimate current,
      RateEstimate previous,
      GuardThresholds limits) {
    long n = current.alarms() + previous.alarms();
    double alpha = limits.significance();
    if (current.deviceDays() <= 0 || previous.deviceDays() <= 0) {
      return new RateComparison(previousFirmware, null, null, null, null, Verdict.TOO_LITTLE_DATA);
    }
    Double ratio =
        previous.alarms() == 0
            ? null
            : (current.alarms() / current.deviceDays())
                / (previous.alarms() / previous.deviceDays());
    double odds = previous.deviceDays() / current.deviceDays();
    double share = current.deviceDays() / (current.deviceDays() + previous.deviceDays());
    Double pValue = n == 0 ? 1.0 : twoSidedPValue(current.alarms(), n, share);
    Double ratioLow = n == 0 ? null : ratioBound(shareLow(current.alarms(), n, alpha), odds);
    Double ratioHigh = n == 0 ? null : ratioBound(shareHigh(current.alarms(), n, alpha), odds);
    Verdict verdict;
    if (current.deviceDays() < limits.minDeviceDays()
        || previous.deviceDays() < limits.minDeviceDays()
        || n < limits.minAlarms()) {
      verdict = Verdict.TOO_LITTLE_DATA;
    } else if (pValue >= alpha) {
      verdict = Verdict.SAME;
    } else {
      double currentRate = current.alarms() / current.deviceDays();
      double previousRate = previous.alarms() / previous.deviceDays();
      verdict = currentRate > previousRate ? Verdict.WORSE : Verdict.BETTER;
    }
    return new RateComparison(previousFirmware, ratio, ratioLow, ratioHigh, pValue, verdict);
  }

  /** Twice the smaller tail of Binomial(n, share) at k, at most 1. */
  static double twoSidedPValue(long k, long n, double share) {
    double upper = Distributions.binomialAtLeast(k, n, share);
    double lower = Distributions.binomialAtMost(k, n, share);
    return Math.min(1, 2 * Math.min(upper, lower));
  }

  /** Clopper–Pearson lower bound of a binomial proportion. */
  static double shareLow(long k, long n, double alpha) {
    if (k == 0) {
      return 0;
    }
    return solveIncreasing(p -> Distributions.binomialAtLeast(k, n, p), alpha / 2, 1);
  }

  /** Clopper–Pearson upper bound of a binomial proportion. */
  static double shareHigh(long k, long n, double alpha) {
    if (k == n) {
      return 1;
    }
    return solveIncreasing(p -> 1 - Distributions.binomialAtMost(k, n, p), 1 - alpha / 2, 1);
  }

  /** The rate ratio a share of the alarms stands for; null when it is unbounded (share 1). */
  private static Double ratioBound(double share, double odds) {
    return share >= 1 ? null : share / (1 - share) * odds;
  }

  /** A mean surely above any interval bound for {@code alarms} counts. */
  private static double meanCeiling(long alarms) {
    return alarms + 20 * Math.sqrt(alarms + 1) + 20;
  }

  /** The x in [0, ceiling] where the increasing {@code f} reaches {@code target}, by bisection. */
  private static double solveIncreasing(DoubleUnaryOperator f, double target, double ceiling) {
    double low = 0;
    double high = ceiling;
    for (int i = 0; i < BISECTIONS && high - low > 1e-12 * Math.max(1, high); i++) {
      double mid = (low + high) / 2;
      if (f.applyAsDouble(mid) < target) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return (low + high) / 2;
  }
}
