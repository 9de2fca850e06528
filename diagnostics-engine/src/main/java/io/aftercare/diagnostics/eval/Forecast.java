package io.aftercare.diagnostics.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * When a falling metric is expected to reach its limit, as a forecast rule last estimated it: the
 * detail a forecast alarm carries and refreshes with every sample.
 *
 * @param metric the metric forecast, e.g. {@code battery_pct}
 * @param limit the value the metric is heading for
 * @param limitLabel what reaching the limit means to staff, e.g. "battery empty"
 * @param estimatedAt the time of the sample the estimate was made on
 * @param reachesAt when the fitted line reaches the limit ({@code estimatedAt} once it has)
 * @param level the fitted line's value at {@code estimatedAt}: the current level with the noise and
 *     outliers of single readings smoothed away
 * @param slopePerHour the Theil–Sen slope, in the metric's unit per hour (negative: falling)
 * @param points the points of the thinned window the line was fitted to
 */
public record Forecast(
    String metric,
    double limit,
    String limitLabel,
    Instant estimatedAt,
    Instant reachesAt,
    double level,
    double slopePerHour,
    int points) {

  /** How long until the limit is reached; zero once it has been. */
  public Duration remaining() {
    Duration remaining = Duration.between(estimatedAt, reachesAt);
    return remaining.isNegative() ? Duration.ZERO : remaining;
  }

  /** For staff: "battery empty in about 6 h", or "battery empty now". */
  public String summary() {
    Duration remaining = remaining();
    return remaining.compareTo(Duration.ofSeconds(30)) < 0
        ? limitLabel + " now"
        : limitLabel + " in about " + approximately(remaining);
  }

  /** Rounded to what a forecast can honestly promise: minutes, then hours, then days. */
  static String approximately(Duration remaining) {
    long minutes = Math.max(1, Math.round(remaining.toSeconds() / 60.0));
    if (minutes < 60) {
      return minutes + " min";
    }
    long hours = Math.round(remaining.toSeconds() / 3600.0);
    if (hours < 48) {
      return hours + " h";
    }
    return String.format(Locale.ROOT, "%d d", Math.round(remaining.toSeconds() / 86_400.0));
  }
}
