package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The four grades of an emergency (docs/incidents.md), from the least to the most severe; each has
 * its own response target.
 */
public enum IncidentLevel {
  GENERAL,
  SIGNIFICANT,
  MAJOR,
  ESPECIALLY_MAJOR;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Refuses a missing or unknown level naming the field {@code level}. */
  public static IncidentLevel fromWireName(String name) {
    if (name == null) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'level' is required");
    }
    for (IncidentLevel level : values()) {
      if (level.wireName().equals(name)) {
        return level;
      }
    }
    throw new BridgeException(
        BridgeException.Kind.INVALID,
        "'level' must be general, significant, major or especially_major, not '" + name + "'");
  }
}
