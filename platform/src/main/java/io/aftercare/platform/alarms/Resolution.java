package io.aftercare.platform.alarms;

import java.util.Locale;

/** Why a cleared alarm closed; the {@code alarms.resolution} column. */
public enum Resolution {
  /** The data went back to normal on its own (or after a fix nobody verified). */
  CONDITION_CLEARED,
  /** A remote remedy succeeded and the fault stayed away, or the data cleared while verifying. */
  FIXED_REMOTELY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
