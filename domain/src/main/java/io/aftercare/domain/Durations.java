package io.aftercare.domain;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way durations are written in Aftercare's configuration, rule, command-catalog and
 * scenario files and on the simulator's command line.
 *
 * <pre>
 * duration = "0"                     zero, without a unit
 *          | amount unit             250ms, 30s, 15m, 2h, 7d
 *          | ISO-8601 duration       PT30S, PT1H30M, P2D, P1DT12H (letters in either case)
 * amount   = 1 to 9 digits           no sign, no fraction
 * unit     = "ms" | "s" | "m" | "h" | "d"    lower case; a day is 24 hours
 * </pre>
 *
 * Spaces around the text are ignored. Negative durations (an ISO {@code PT-5S}) are refused: no
 * setting in these files means anything by one.
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException when {@code text} follows none of the forms above, naming them
   */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SHORT.matcher(trimmed);
    Duration duration = m.matches() ? shortForm(Long.parseLong(m.group(1)), m.group(2)) : iso(text);
    if (duration.isNegative()) {
      throw new IllegalArgumentException("'" + text + "' is negative; durations are not");
    }
    return duration;
  }

  private static Duration shortForm(long amount, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  private static Duration iso(String text) {
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 250ms, 30s, 15m, 2h, 7d or PT30S", e);
    }
  }
}
