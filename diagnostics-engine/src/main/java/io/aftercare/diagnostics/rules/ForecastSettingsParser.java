package io.aftercare.diagnostics.rules;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Reads and checks the fields only a forecast rule has, reporting each problem by field. */
final class ForecastSettingsParser {

  /** The fields a forecast rule may have besides the common ones. */
  static final Set<String> FIELDS =
      Set.of(
          "metric",
          "window",
          "limit",
          "limit_label",
          "confidence",
          "min_points",
          "min_span",
          "max_points",
          "clear_beyond");

  /**
   * At most 128 points: 8,128 pairwise slopes to sort per sample, well under a millisecond, however
   * often the device reports.
   */
  private static final int MOST_POINTS = 128;

  private static final int DEFAULT_MAX_POINTS = 40;
  private static final int DEFAULT_MIN_POINTS = 6;
  private static final double DEFAULT_CONFIDENCE = 0.99;

  private ForecastSettingsParser() {}

  /**
   * @param window the rule's window, {@code null} when it was missing or invalid
   * @param levels the rule's valid levels (their {@code within}), least severe first
   */
  static ForecastSettings parse(
      FieldReader reader, String metric, Duration window, List<SeverityLevel> levels) {
    Double limit = reader.finiteNumber("limit", true);
    String label = reader.text("limit_label", false);
    if (label != null && label.isBlank()) {
      reader.error("limit_label", "must not be blank");
    }
    double confidence = reader.number("confidence", DEFAULT_CONFIDENCE);
    if (confidence < 0.5 || confidence > 0.9999) {
      reader.error("confidence", "must be from 0.5 to 0.9999");
    }
    int maxPoints = reader.integer("max_points", DEFAULT_MAX_POINTS, 4, MOST_POINTS);
    int minPoints = reader.integer("min_points", DEFAULT_MIN_POINTS, 3, MOST_POINTS);
    if (minPoints > maxPoints) {
      reader.error("min_points", "must not be more than max_points (" + maxPoints + ")");
    }
    Duration minSpan = reader.duration("min_span", false);
    if (minSpan == null && window != null) {
      minSpan = window.dividedBy(3);
    } else if (minSpan != null && minSpan.isZero()) {
      reader.error("min_span", "must be longer than zero");
    } else if (minSpan != null && window != null && minSpan.compareTo(window) > 0) {
      reader.error("min_span", "must not be longer than window (" + window + ")");
    }
    Duration horizon = levels.isEmpty() ? null : levels.get(0).within();
    Duration clearBeyond = reader.duration("clear_beyond", false);
    if (clearBeyond == null && horizon != null) {
      clearBeyond = horizon.multipliedBy(2);
    } else if (clearBeyond != null && horizon != null && clearBeyond.compareTo(horizon) < 0) {
      reader.error(
          "clear_beyond",
          "must be at least the longest horizon, levels[0].within (" + horizon + ")");
    }
    return new ForecastSettings(
        limit == null ? 0 : limit,
        label != null ? label : metric + " reaches " + format(limit == null ? 0 : limit),
        confidence,
        minPoints,
        minSpan,
        maxPoints,
        clearBeyond);
  }

  private static String format(double limit) {
    return limit == Math.rint(limit) ? String.valueOf((long) limit) : Double.toString(limit);
  }
}
