package io.aftercare.diagnostics.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aftercare.diagnostics.eval.Verdict.Outcome;
import io.aftercare.diagnostics.rules.DiagnosisCategory;
import io.aftercare.diagnostics.rules.ForecastSettings;
import io.aftercare.diagnostics.rules.PeakDirection;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.RuleKind;
import io.aftercare.diagnostics.rules.Severity;
import io.aftercare.diagnostics.rules.SeverityLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The forecast monitor as pure logic, with the default pack's battery settings: a ten-minute
 * window, 95 % confidence, a 6 h horizon for a warning and 1 h for a major, clearing beyond 12 h.
 */
class ForecastMonitorTest {
  private static final long MINUTE = 60_000;
  private static final long T0 = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();

  private final SampleVariables variables = new SampleVariables();

  @Test
  void noiseOnAHealthyBatteryNeverWarns() {
    // 40 devices, twelve hours each at one report every 30 s: gauge jitter of 0.2 points, and
    // 1 % of readings sagging 1-2 points under load, on a battery that lasts months.
    Random random = new Random(20261207);
    int warnings = 0;
    for (int device = 0; device < 40; device++) {
      ForecastMonitor monitor = monitor();
      double level = 60 + random.nextDouble() * 40;
      for (int i = 0; i < 12 * 120; i++) {
        level -= 0.00001 * 30;
        double reading = level + random.nextGaussian() * 0.2;
        if (random.nextDouble() < 0.01) {
          reading -= 1 + random.nextDouble();
        }
        Verdict verdict = sample(monitor, T0 + i * 30_000L, Math.round(reading * 10) / 10.0);
        if (verdict.outcome() == Outcome.RAISE) {
          warnings++;
          break;
        }
      }
    }
    assertThat(warnings).isZero();
  }

  @Test
  void aDrainWarnsWithinMinutesAndForecastsTheTimeItEmpties() {
    ForecastMonitor monitor = monitor();
    List<Verdict> verdicts = new ArrayList<>();
    for (int minute = 0; minute <= 10; minute++) {
      verdicts.add(sample(monitor, T0 + minute * MINUTE, 80));
    }
    assertThat(verdicts).noneMatch(v -> v.outcome() == Outcome.RAISE);

    // 3 % a minute from minute 10: empty at minute 36 and 40 seconds.
    Verdict first = null;
    int firstMinute = 0;
    Verdict last = null;
    for (int minute = 11; minute <= 24; minute++) {
      last = sample(monitor, T0 + minute * MINUTE, 80 - 3.0 * (minute - 10));
      if (first == null && last.outcome() == Outcome.RAISE) {
        first = last;
        firstMinute = minute;
      }
    }
    assertThat(firstMinute).isBetween(11, 15);
    assertThat(first.severity()).isEqualTo(Severity.WARNING);
    assertThat(first.forecast().summary()).startsWith("battery empty in about");

    // Once the window holds only the drain, the line is the drain itself.
    Forecast forecast = last.forecast();
    assertThat(last.outcome()).isEqualTo(Outcome.RAISE);
    assertThat(last.severity()).isEqualTo(Severity.MAJOR);
    assertThat(forecast.slopePerHour()).isCloseTo(-180, within(1e-6));
    assertThat(forecast.level()).isCloseTo(38, within(1e-6));
    assertThat(forecast.estimatedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 24 * MINUTE));
    assertThat(forecast.reachesAt())
        .isBetween(
            Instant.ofEpochMilli(T0 + 36 * MINUTE + 39_000),
            Instant.ofEpochMilli(T0 + 36 * MINUTE + 41_000));
    assertThat(forecast.summary()).isEqualTo("battery empty in about 13 min");
    assertThat(forecast.points()).isEqualTo(11);
  }

  @Test
  void theTrendReversingClearsTheWarning() {
    ForecastMonitor monitor = monitor();
    for (int minute = 0; minute <= 8; minute++) {
      assertThat(sample(monitor, T0 + minute * MINUTE, 90 - 3.0 * minute).outcome())
          .isNotEqualTo(Outcome.CLEAR);
    }
    assertThat(sample(monitor, T0 + 9 * MINUTE, 63).outcome()).isEqualTo(Outcome.RAISE);

    // Charging: the forecast is kept while the fall still outweighs the rise, then it clears.
    List<Outcome> outcomes = new ArrayList<>();
    for (int minute = 10; minute <= 25; minute++) {
      outcomes.add(sample(monitor, T0 + minute * MINUTE, 63 + 4.0 * (minute - 9)).outcome());
    }
    assertThat(outcomes).contains(Outcome.CLEAR);
    assertThat(outcomes.subList(outcomes.indexOf(Outcome.CLEAR), outcomes.size()))
        .containsOnly(Outcome.CLEAR);
  }

  @Test
  void aDrainSlowingBeyondTheHorizonClears() {
    ForecastMonitor monitor = monitor();
    for (int minute = 0; minute <= 8; minute++) {
      sample(monitor, T0 + minute * MINUTE, 90 - 3.0 * minute);
    }
    assertThat(sample(monitor, T0 + 9 * MINUTE, 63).outcome()).isEqualTo(Outcome.RAISE);

    // Then 0.05 points a minute: empty in about 21 hours, beyond the 12 h that keep a warning.
    Verdict verdict = null;
    for (int minute = 10; minute <= 30; minute++) {
      verdict = sample(monitor, T0 + minute * MINUTE, 63 - 0.05 * (minute - 9));
    }
    assertThat(verdict.outcome()).isEqualTo(Outcome.CLEAR);
  }

  @Test
  void anOutlierDuringADrainDoesNotMoveTheForecast() {
    ForecastMonitor clean = monitor();
    ForecastMonitor glitched = monitor();
    Verdict cleanVerdict = null;
    Verdict glitchedVerdict = null;
    for (int minute = 0; minute <= 10; minute++) {
      double value = 90 - 2.0 * minute;
      cleanVerdict = sample(clean, T0 + minute * MINUTE, value);
      // One reading at 100 % (a gauge reset), one at 5 % (a deep sag).
      double glitch = minute == 4 ? 100 : minute == 7 ? 5 : value;
      glitchedVerdict = sample(glitched, T0 + minute * MINUTE, glitch);
    }
    assertThat(glitchedVerdict.outcome()).isEqualTo(Outcome.RAISE);
    Instant expected = cleanVerdict.forecast().reachesAt();
    assertThat(glitchedVerdict.forecast().reachesAt())
        .isBetween(expected.minusSeconds(1), expected.plusSeconds(1));
  }

  @Test
  void tooFewPointsOrTooShortASpanSayNothing() {
    ForecastMonitor monitor = monitor();
    // A steep fall, but four reports (and then five within three minutes) are not a trend yet.
    assertThat(sample(monitor, T0, 90).outcome()).isEqualTo(Outcome.HOLD);
    assertThat(sample(monitor, T0 + 40_000, 80).outcome()).isEqualTo(Outcome.HOLD);
    assertThat(sample(monitor, T0 + 80_000, 70).outcome()).isEqualTo(Outcome.HOLD);
    assertThat(sample(monitor, T0 + 120_000, 60).outcome()).isEqualTo(Outcome.HOLD);
    assertThat(sample(monitor, T0 + 160_000, 50).outcome()).isEqualTo(Outcome.HOLD);
  }

  private Verdict sample(ForecastMonitor monitor, long at, double value) {
    variables.set(value, value, Map.of(), Map.of());
    return monitor.onSample(variables, at);
  }

  private static ForecastMonitor monitor() {
    return new ForecastMonitor(
        new Rule(
            "battery_drain_forecast",
            "test",
            "battery forecast",
            RuleKind.FORECAST,
            Set.of(),
            null,
            "battery_pct",
            null,
            null,
            List.of(
                SeverityLevel.within(Severity.WARNING, Duration.ofHours(6)),
                SeverityLevel.within(Severity.MAJOR, Duration.ofMinutes(20))),
            null,
            Duration.ofMinutes(10),
            Duration.ZERO,
            0,
            0,
            1,
            64,
            PeakDirection.MIN,
            DiagnosisCategory.DEVICE_FAULT,
            List.of(),
            false,
            new ForecastSettings(
                0, "battery empty", 0.95, 5, Duration.ofMinutes(4), 40, Duration.ofHours(12))));
  }
}
