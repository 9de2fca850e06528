package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The states of an incident, in the only order it passes them (docs/incidents.md): declared, first
 * response to the declaration, first handling on the ground, resolved, and closed after the
 * post-incident review.
 */
public enum IncidentStatus {
  DECLARED,
  RESPONDED,
  HANDLING,
  RESOLVED,
  CLOSED;

  /** The one state that may follow this one; {@code null} once closed. */
  public IncidentStatus next() {
    return this == CLOSED ? null : values()[ordinal() + 1];
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Refuses a missing or unknown status naming the field {@code field}. */
  public static IncidentStatus fromWireName(String name, String field) {
    if (name == null) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'" + field + "' is required");
    }
    for (IncidentStatus status : values()) {
      if (status.wireName().equals(name)) {
        return status;
      }
    }
    throw new BridgeException(
        BridgeException.Kind.INVALID, "unknown incident status '" + name + "' in '" + field + "'");
  }
}
