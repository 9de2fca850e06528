package io.aftercare.simulator.scenario;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations written for people in the simulator's reports. (They are read with {@link
 * io.aftercare.domain.Durations}.)
 */
public final class DurationFormat {

  private DurationFormat() {}

  /** For people: {@code 45s}, {@code 12m05s}, {@code 1h02m}. */
  public static String format(Duration duration) {
    long s = duration.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
