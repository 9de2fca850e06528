package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How urgently a ticket is worked, P1 most urgent; picks the SLA targets. The database's CHECK on
 * {@code tickets.priority} is the second guard.
 */
public enum Priority {
  P1,
  P2,
  P3,
  P4;

  /** P1 is level 1; levels outside 1..4 are clamped. */
  static Priority ofLevel(int level) {
    return values()[Math.max(1, Math.min(values().length, level)) - 1];
  }

  int level() {
    return ordinal() + 1;
  }

  @JsonValue
  public String wireName() {
    return name();
  }

  public static Priority fromWireName(String name) {
    for (Priority priority : values()) {
      if (priority.wireName().equals(name)) {
        return priority;
      }
    }
    throw new BridgeException(BridgeException.Kind.INVALID, "unknown priority '" + name + "'");
  }
}
