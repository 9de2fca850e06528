package io.aftercare.diagnostics.rules;

import java.time.Duration;

/**
 * What a forecast rule needs beyond the common fields; docs/diagnostics.md ("forecast") gives the
 * maths.
 *
 * @param limit the value the falling metric must not reach (0 % battery, 5 % free memory)
 * @param limitLabel what reaching it means to staff, e.g. "battery empty"
 * @param confidence how sure the fall must be before a warning (the one-sided confidence of the
 *     slope's upper bound being below zero)
 * @param minPoints the fewest points of the thinned window a forecast is made on
 * @param minSpan the shortest time those points must span
 * @param maxPoints the most points the window is thinned to
 * @param clearBeyond an open warning clears once the limit is forecast further away than this
 */
public record ForecastSettings(
    double limit,
    String limitLabel,
    double confidence,
    int minPoints,
    Duration minSpan,
    int maxPoints,
    Duration clearBeyond) {}
