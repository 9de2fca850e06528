package io.aftercare.simulator.score;

import io.aftercare.simulator.score.ScoreReport.FaultKindFigures;
import io.aftercare.simulator.score.ScoreReport.TimeToDetect;
import io.aftercare.simulator.score.Scorer.FaultView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Time-to-detect figures over the detected faults, overall and per fault kind. */
final class DetectionTimes {

  private DetectionTimes() {}

  static TimeToDetect of(List<FaultView> faults) {
    Map<String, FaultKindFigures> byFault = new TreeMap<>();
    faults.stream()
        .map(f -> f.fault().fault().id())
        .distinct()
        .forEach(
            kind -> {
              List<FaultView> ofKind =
                  faults.stream().filter(f -> f.fault().fault().id().equals(kind)).toList();
              List<Double> seconds = seconds(ofKind);
              byFault.put(
                  kind,
                  new FaultKindFigures(ofKind.size(), seconds.size(), p50(seconds), max(seconds)));
            });
    List<Double> all = seconds(faults);
    return new TimeToDetect(p50(all), max(all), byFault);
  }

  private static List<Double> seconds(List<FaultView> faults) {
    return faults.stream()
        .map(FaultView::timeToDetect)
        .flatMap(Optional::stream)
        .map(d -> d.toMillis() / 1000.0)
        .sorted()
        .toList();
  }

  /** Nearest-rank median: a value that was measured, not an interpolation. */
  private static Double p50(List<Double> sorted) {
    return sorted.isEmpty() ? null : sorted.get((sorted.size() + 1) / 2 - 1);
  }

  private static Double max(List<Double> sorted) {
    return sorted.isEmpty() ? null : sorted.get(sorted.size() - 1);
  }
}
