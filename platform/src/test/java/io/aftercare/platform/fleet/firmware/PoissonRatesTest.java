package io.aftercare.platform.fleet.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Known values from statistical tables (Garwood 1936, Clopper–Pearson, exact binomial test). */
class PoissonRatesTest {

  private static final GuardThresholds LIMITS = new GuardThresholds(100, 10, 0.05);

  @Test
  void noAlarmsGiveTheOneSidedUpperBoundOfPoissonZero() {
    RateEstimate rate = PoissonRates.rate(0, 1000, 0.05);

    assertThat(rate.perThousandDeviceDays()).isEqualTo(0.0);
    assertThat(rate.low()).isEqualTo(0.0);
    assertThat(rate.high()).isCloseTo(3.689, within(0.001));
  }

  @Test
  void exactIntervalsMatchGarwoodsTable() {
    RateEstimate one = PoissonRates.rate(1, 1000, 0.05);
    assertThat(one.low()).isCloseTo(0.0253, within(0.0001));
    assertThat(one.high()).isCloseTo(5.572, within(0.001));

    RateEstimate ten = PoissonRates.rate(10, 1000, 0.05);
    assertThat(ten.perThousandDeviceDays()).isEqualTo(10.0);
    assertThat(ten.low()).isCloseTo(4.795, within(0.001));
    assertThat(ten.high()).isCloseTo(18.390, within(0.001));
  }

  @Test
  void ratesScaleToThousandDeviceDays() {
    RateEstimate rate = PoissonRates.rate(10, 500, 0.05);

    assertThat(rate.perThousandDeviceDays()).isEqualTo(20.0);
    assertThat(rate.low()).isCloseTo(9.590, within(0.001));
    assertThat(rate.high()).isCloseTo(36.780, within(0.001));
  }

  @Test
  void noExposureHasNoRate() {
    RateEstimate rate = PoissonRates.rate(3, 0, 0.05);

    assertThat(rate.perThousandDeviceDays()).isNull();
    assertThat(rate.low()).isNull();
  }

  @Test
  void binomialTestMatchesTheExactTailSums() {
    // P(X >= 9 | n = 10, p = 1/2) = 11/1024; two-sided twice that.
    assertThat(PoissonRates.twoSidedPValue(9, 10, 0.5)).isCloseTo(22.0 / 1024, within(1e-12));
    assertThat(PoissonRates.twoSidedPValue(5, 10, 0.5)).isEqualTo(1.0);
    // P(X <= 0 | n = 5, p = 0.2) = 0.8^5.
    assertThat(PoissonRates.twoSidedPValue(0, 5, 0.2)).isCloseTo(2 * 0.32768, within(1e-12));
  }

  @Test
  void clopperPearsonBoundsMatchTheTable() {
    assertThat(PoissonRates.shareLow(5, 10, 0.05)).isCloseTo(0.1871, within(0.0001));
    assertThat(PoissonRates.shareHigh(5, 10, 0.05)).isCloseTo(0.8129, within(0.0001));
    assertThat(PoissonRates.shareLow(0, 10, 0.05)).isEqualTo(0.0);
    assertThat(PoissonRates.shareHigh(0, 10, 0.05)).isCloseTo(0.3085, within(0.0001));
  }

  @Test
  void doubleTheRateOnEnoughDataIsWorse() {
    RateEstimate current = PoissonRates.rate(40, 2000, 0.05);
    RateEstimate previous = PoissonRates.rate(20, 2000, 0.05);

    RateComparison comparison = PoissonRates.compare("1.0.0", current, previous, LIMITS);

    assertThat(comparison.verdict()).isEqualTo(Verdict.WORSE);
    assertThat(comparison.rateRatio()).isEqualTo(2.0);
    // 40 of 60 at p = 1/2: two-sided exact p-value 0.0135 (R: binom.test(40, 60)).
    assertThat(comparison.pValue()).isCloseTo(0.01348, within(0.0001));
    assertThat(comparison.rateRatioLow()).isGreaterThan(1.0);
    assertThat(comparison.rateRatioHigh()).isGreaterThan(2.0);
    assertThat(comparison.previousFirmware()).isEqualTo("1.0.0");
  }

  @Test
  void halfTheRateIsBetterAndTheSameRateIsTheSame() {
    RateEstimate previous = PoissonRates.rate(40, 2000, 0.05);

    assertThat(
            PoissonRates.compare("1.0.0", PoissonRates.rate(20, 2000, 0.05), previous, LIMITS)
                .verdict())
        .isEqualTo(Verdict.BETTER);
    RateComparison same =
        PoissonRates.compare("1.0.0", PoissonRates.rate(41, 2100, 0.05), previous, LIMITS);
    assertThat(same.verdict()).isEqualTo(Verdict.SAME);
    assertThat(same.rateRatioLow()).isLessThan(1.0);
    assertThat(same.rateRatioHigh()).isGreaterThan(1.0);
  }

  @Test
  void unequalExposuresAreWeighedByTheirShare() {
    // Same rate (10 per 1,000 device-days), exposures 1:3.
    RateComparison comparison =
        PoissonRates.compare(
            "1.0.0", PoissonRates.rate(10, 1000, 0.05), PoissonRates.rate(30, 3000, 0.05), LIMITS);

    assertThat(comparison.rateRatio()).isCloseTo(1.0, within(1e-12));
    assertThat(comparison.verdict()).isEqualTo(Verdict.SAME);
    assertThat(comparison.pValue()).isGreaterThan(0.5);
  }

  @Test
  void smallSamplesAreTooLittleDataEvenWhenTheRatioIsLarge() {
    RateEstimate previous = PoissonRates.rate(1, 2000, 0.05);

    assertThat(
            PoissonRates.compare("1.0.0", PoissonRates.rate(8, 2000, 0.05), previous, LIMITS)
                .verdict())
        .as("9 alarms in all, under the minimum of 10")
        .isEqualTo(Verdict.TOO_LITTLE_DATA);
    assertThat(
            PoissonRates.compare("1.0.0", PoissonRates.rate(30, 50, 0.05), previous, LIMITS)
                .verdict())
        .as("50 device-days, under the minimum of 100")
        .isEqualTo(Verdict.TOO_LITTLE_DATA);
  }

  @Test
  void aPredecessorWithoutAlarmsHasNoBoundedRatio() {
    RateComparison comparison =
        PoissonRates.compare(
            "1.0.0", PoissonRates.rate(12, 1000, 0.05), PoissonRates.rate(0, 1000, 0.05), LIMITS);

    assertThat(comparison.verdict()).isEqualTo(Verdict.WORSE);
    assertThat(comparison.rateRatio()).isNull();
    assertThat(comparison.rateRatioHigh()).isNull();
    assertThat(comparison.rateRatioLow()).isGreaterThan(1.0);
  }
}
