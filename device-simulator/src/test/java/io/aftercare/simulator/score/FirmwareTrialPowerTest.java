package io.aftercare.simulator.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.fleet.firmware.GuardThresholds;
import io.aftercare.platform.fleet.firmware.PoissonRates;
import io.aftercare.platform.fleet.firmware.RateEstimate;
import io.aftercare.platform.fleet.firmware.Verdict;
import io.aftercare.simulator.fault.OverheatEpisodes;
import io.aftercare.simulator.scenario.FirmwareTrialPlan;
import io.aftercare.simulator.scenario.FirmwareTrialPlan.TrialVersion;
import io.aftercare.simulator.scenario.ScenarioLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The power of the scenario firmware-regression, the figures its header gives: many simulated runs
 * of its devices' episodes, each scored with the platform's own test (PoissonRates) at the
 * scenario's thresholds (firmware-trial/platform.yaml). The doubled version must be found worse
 * almost always and the same-rate version almost never.
 */
class FirmwareTrialPowerTest {

  private static final Logger LOG = LoggerFactory.getLogger(FirmwareTrialPowerTest.class);

  private static final int RUNS = 1000;
  private static final Duration RUN = Duration.ofSeconds(45);

  /** The compressed rule holds 3 s at one report a second: an alarm needs 4 hot reports. */
  private static final Duration TO_RAISE = Duration.ofSeconds(4);

  private static final GuardThresholds SCENARIO = new GuardThresholds(0.02, 10, 0.01);
  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void theDoubledVersionIsFoundWorseAlmostAlwaysAndTheSameRateAlmostNever() {
    FirmwareTrialPlan plan =
        FirmwareTrialPlan.of(ScenarioLoader.load("classpath:firmware-regression"));
    List<TrialVersion> versions = plan.versions();
    assertThat(versions).extracting(TrialVersion::regressed).containsExactly(false, false, true);
    Random seeds = new Random(20261220);
    int doubledWorse = 0;
    int sameWorse = 0;
    long[] totals = new long[versions.size()];
    for (int run = 0; run < RUNS; run++) {
      long[] alarms = new long[versions.size()];
      for (int v = 0; v < versions.size(); v++) {
        for (int d = 0; d < versions.get(v).devices(); d++) {
          alarms[v] += alarmsOfOneDevice(plan, versions.get(v), seeds.nextLong());
        }
        totals[v] += alarms[v];
      }
      if (verdict(versions, alarms, 2) == Verdict.WORSE) {
        doubledWorse++;
      }
      if (verdict(versions, alarms, 1) == Verdict.WORSE) {
        sameWorse++;
      }
    }
    // The figures the scenario's header and docs/simulator.md quote.
    LOG.info(
        String.format(
            "firmware-regression: mean alarms %.0f / %.0f / %.0f, 3.3.0 worse in %.3f, 3.2.0 in %.3f",
            totals[0] / (double) RUNS,
            totals[1] / (double) RUNS,
            totals[2] / (double) RUNS,
            doubledWorse / (double) RUNS,
            sameWorse / (double) RUNS));
    assertThat(doubledWorse / (double) RUNS).isGreaterThanOrEqualTo(0.98);
    assertThat(sameWorse / (double) RUNS).isLessThanOrEqualTo(0.02);
  }

  /** The episodes that had time to raise their alarm before the run ended. */
  private static long alarmsOfOneDevice(FirmwareTrialPlan plan, TrialVersion version, long seed) {
    OverheatEpisodes episodes =
        new OverheatEpisodes(seed, version.episodesPerDeviceHour(), plan.heatFor(), plan.coolFor());
    Instant last = START.plus(RUN).minus(TO_RAISE);
    long[] raised = {0};
    for (Instant now = START; !now.isAfter(START.plus(RUN)); now = now.plusSeconds(1)) {
      episodes.hotAt(
          now,
          start -> {
            if (!start.isAfter(last)) {
              raised[0]++;
            }
          });
    }
    return raised[0];
  }

  /** Version {@code v} against its predecessor, on equal exposures as in the scenario. */
  private static Verdict verdict(List<TrialVersion> versions, long[] alarms, int v) {
    double deviceDays = versions.get(v).devices() * RUN.toSeconds() / 86_400.0;
    double previousDays = versions.get(v - 1).devices() * RUN.toSeconds() / 86_400.0;
    RateEstimate current = PoissonRates.rate(alarms[v], deviceDays, SCENARIO.significance());
    RateEstimate previous = PoissonRates.rate(alarms[v - 1], previousDays, SCENARIO.significance());
    return PoissonRates.compare(versions.get(v - 1).firmware(), current, previous, SCENARIO)
        .verdict();
  }
}
