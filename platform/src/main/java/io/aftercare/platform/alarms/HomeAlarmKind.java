package io.aftercare.platform.alarms;

import java.util.Locale;

/** What a home alarm stands for ({@code home_alarms.kind}). */
enum HomeAlarmKind {
  /** Most of the home offline together: its power or its internet connection. */
  OUTAGE,
  /** Every device behind one hub offline together, the rest of the home up: the hub. */
  HUB_FAILURE,
  /** Most of the home raising one connectivity-degradation alarm together: its router or Wi-Fi. */
  DEGRADED;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
