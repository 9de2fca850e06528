package io.aftercare.platform.fleet.firmware;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the comparison of a version with its predecessor concludes. */
public enum Verdict {
  WORSE,
  SAME,
  BETTER,
  /** Too little exposure or too few alarms to conclude anything. */
  TOO_LITTLE_DATA;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
