package io.aftercare.diagnostics.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TheilSenTest {
  private static final double PER_MINUTE = 60_000;
  private static final double Z95 = 1.6449;

  @Test
  void aStraightLineIsFittedExactly() {
    ThinnedWindow points = points(new double[] {90, 88, 86, 84, 82, 80, 78, 76});

    TheilSen.Fit fit = TheilSen.fit(points, Z95);

    assertThat(fit.slope() * PER_MINUTE).isCloseTo(-2, within(1e-9));
    assertThat(fit.level()).isCloseTo(76, within(1e-9));
    assertThat(fit.upperSlope()).isNegative();
  }

  @Test
  void outliersMoveNeitherTheSlopeNorTheLevel() {
    // The same line with two readings far off (a sag under load, a glitch to full).
    ThinnedWindow points = points(new double[] {90, 88, 40, 84, 82, 100, 78, 76, 74, 72});

    TheilSen.Fit fit = TheilSen.fit(points, Z95);

    assertThat(fit.slope() * PER_MINUTE).isCloseTo(-2, within(1e-9));
    assertThat(fit.level()).isCloseTo(72, within(1e-9));
  }

  @Test
  void aFlatSeriesHasNoSignificantSlope() {
    ThinnedWindow points = points(new double[] {50.1, 49.9, 50.0, 50.2, 49.8, 50.0, 50.1, 49.9});

    TheilSen.Fit fit = TheilSen.fit(points, Z95);

    assertThat(fit.upperSlope()).isPositive();
    assertThat(fit.level()).isCloseTo(50, within(0.15));
  }

  @Test
  void tooFewPointsForTheConfidenceGiveNoBound() {
    // Four points have six pairs; at 95 % Sen's bound needs a rank beyond them.
    TheilSen.Fit fit = TheilSen.fit(points(new double[] {10, 8, 6, 4}), Z95);

    assertThat(fit.slope()).isNegative();
    assertThat(fit.upperSlope()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void normalQuantilesMatchTheTables() {
    assertThat(NormalQuantile.of(0.5)).isCloseTo(0, within(1e-9));
    assertThat(NormalQuantile.of(0.95)).isCloseTo(1.644854, within(1e-6));
    assertThat(NormalQuantile.of(0.975)).isCloseTo(1.959964, within(1e-6));
    assertThat(NormalQuantile.of(0.99)).isCloseTo(2.326348, within(1e-6));
    assertThat(NormalQuantile.of(0.9999)).isCloseTo(3.719016, within(1e-6));
  }

  @Test
  void aFastReportingDeviceIsThinnedToTheCap() {
    ThinnedWindow window = new ThinnedWindow(10 * 60_000, 40);
    for (int second = 0; second <= 3600; second++) {
      window.add(second * 1000L, 80 - second / 100.0);
    }

    assertThat(window.size()).isBetween(40, 41);
    assertThat(window.span()).isBetween(9 * 60_000L, 10 * 60_000L);
    // The newest reading always stands for the newest bucket.
    assertThat(window.time(window.size() - 1)).isEqualTo(3_600_000L);
  }

  /** One point a minute. */
  private static ThinnedWindow points(double[] values) {
    ThinnedWindow window = new ThinnedWindow(60 * 60_000, 120);
    for (int i = 0; i < values.length; i++) {
      window.add(i * 60_000L, values[i]);
    }
    return window;
  }
}
