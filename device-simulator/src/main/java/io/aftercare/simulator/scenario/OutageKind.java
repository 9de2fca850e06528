package io.aftercare.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What silences whole homes at once; the name is what scenario files and ground truth use. */
public enum OutageKind {
  /**
   * No power at home (or, for the platform, no internet: the two look the same from outside): every
   * device drops its connection and sends nothing; when power returns, mains-powered devices boot
   * again and all reconnect.
   */
  POWER_OUTAGE;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static OutageKind fromId(String id) {
    return valueOf(id.trim().toUpperCase(Locale.ROOT));
  }
}
