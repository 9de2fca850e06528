package io.aftercare.simulator.score;

import io.aftercare.simulator.score.ScoreReport.AlarmRef;
import io.aftercare.simulator.score.ScoreReport.ForecastWarning;
import io.aftercare.simulator.score.ScoreReport.Forecasts;
import io.aftercare.simulator.score.Scorer.FaultView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Forecast warnings apart from the other alarms: how soon after a fault started a forecast rule
 * warned of it, and how many forecast warnings came from devices with nothing wrong (noise taken
 * for a trend).
 */
final class ForecastFigures {

  private ForecastFigures() {}

  /**
   * @param falseAlarms the run's false alarms
   */
  static Forecasts of(List<FaultView> faults, List<PlatformAlarm> falseAlarms) {
    List<FaultView> forecastable =
        faults.stream().filter(f -> !f.detection().forecasts().isEmpty()).toList();
    List<ForecastWarning> warnings = new ArrayList<>();
    for (FaultView fault : forecastable) {
      firstWarning(fault)
          .ifPresent(
              alarm ->
                  warnings.add(
                      new ForecastWarning(
                          fault.fault().device(),
                          fault.fault().fault().id(),
                          fault.fault().startAt().toString(),
                          alarm.id(),
                          alarm.ruleId(),
                          alarm.raisedAt().toString(),
                          afterStart(fault, alarm).toMillis() / 1000.0,
                          alarm.forecast().orElse(null))));
    }
    List<Double> seconds = warnings.stream().map(ForecastWarning::afterS).sorted().toList();
    List<AlarmRef> falseWarnings =
        falseAlarms.stream()
            .filter(PlatformAlarm::isForecast)
            .map(a -> new AlarmRef(a.id(), a.deviceId(), a.ruleId(), a.raisedAt().toString()))
            .toList();
    return new Forecasts(
        forecastable.size(),
        warnings.size(),
        seconds.isEmpty() ? null : seconds.get((seconds.size() + 1) / 2 - 1),
        seconds.isEmpty() ? null : seconds.get(seconds.size() - 1),
        falseWarnings.size(),
        warnings,
        falseWarnings);
  }

  /** The fault's first true alarm from one of its forecast rules. */
  private static Optional<PlatformAlarm> firstWarning(FaultView fault) {
    return fault.detecting().stream()
        .filter(a -> fault.detection().forecasts().contains(a.ruleId()))
        .findFirst();
  }

  private static Duration afterStart(FaultView fault, PlatformAlarm alarm) {
    Duration after = Duration.between(fault.fault().startAt(), alarm.raisedAt());
    // A warning within the clock tolerance before the start warned at once.
    return after.isNegative() ? Duration.ZERO : after;
  }
}
