package io.aftercare.platform.alarms;

import java.util.Locale;

/** What acknowledging one alarm did. */
public enum AckOutcome {
  ACKNOWLEDGED,
  /** Not active any more: acknowledged before, or cleared. */
  ALREADY,
  NOT_FOUND;

  @com.fasterxml.jackson.annotation.JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
