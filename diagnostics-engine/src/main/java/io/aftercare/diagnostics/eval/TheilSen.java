package io.aftercare.diagnostics.eval;

import java.util.Arrays;

/**
 * A Theil–Sen line: the slope is the median of the slopes between every pair of points, the level
 * the median of what each point says the line's value is at the last point's time. Half of the
 * pairs would have to be corrupted to move the median anywhere, so a reading taken under load (a
 * battery sagging while a lock's motor runs) or a glitch does not bend the forecast, where a
 * least-squares line follows every outlier.
 *
 * <p>With the slope comes Sen's (1968) one-sided upper confidence bound: the slope of rank {@code
 * (N + z·√Var(S)) / 2 + 1} among the N sorted pairwise slopes, where {@code Var(S) =
 * n(n−1)(2n+5)/18} is the variance of Kendall's S for n points without a trend. The bound is below
 * zero exactly when S, the count of falling pairs minus rising ones, is more than about z standard
 * deviations below zero: the Mann–Kendall test for a falling trend. Tied values (readings rounded
 * to 0.1 %) are left in the variance, which only widens the bound.
 */
final class TheilSen {

  /**
   * The pairwise slopes of one fit. One buffer per thread rather than per device: a window of 40
   * points has 780 pairs, and keeping that per device and rule would cost kilobytes on every device
   * of the fleet for a moment's work. Engines are single-threaded, so this is never shared.
   */
  private static final ThreadLocal<double[]> SCRATCH =
      ThreadLocal.withInitial(() -> new double[64]);

  /**
   * @param slope value per millisecond
   * @param upperSlope the confidence bound on the slope; {@code +∞} when there are too few points
   *     for the confidence asked
   * @param level the line's value at the last point's time
   */
  record Fit(double slope, double upperSlope, double level) {}

  private TheilSen() {}

  /**
   * Fits the window's points (at least two; their times strictly increase).
   *
   * @param z the standard normal quantile of the confidence wanted, e.g. 2.326 for 99 %
   */
  static Fit fit(ThinnedWindow points, double z) {
    int n = points.size();
    int pairs = n * (n - 1) / 2;
    double[] slopes = scratch(Math.max(pairs, n));
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        slopes[k++] = (points.value(j) - points.value(i)) / (points.time(j) - points.time(i));
      }
    }
    Arrays.sort(slopes, 0, pairs);
    double slope = median(slopes, pairs);
    double varianceOfS = n * (n - 1.0) * (2.0 * n + 5) / 18.0;
    int upperRank = (int) Math.ceil((pairs + z * Math.sqrt(varianceOfS)) / 2.0) + 1;
    double upper = upperRank <= pairs ? slopes[upperRank - 1] : Double.POSITIVE_INFINITY;

    long last = points.time(n - 1);
    for (int i = 0; i < n; i++) {
      slopes[i] = points.value(i) + slope * (last - points.time(i));
    }
    Arrays.sort(slopes, 0, n);
    return new Fit(slope, upper, median(slopes, n));
  }

  private static double median(double[] sorted, int n) {
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double[] scratch(int size) {
    double[] buffer = SCRATCH.get();
    if (buffer.length < size) {
      buffer = new double[Math.max(size, buffer.length * 2)];
      SCRATCH.set(buffer);
    }
    return buffer;
  }
}
