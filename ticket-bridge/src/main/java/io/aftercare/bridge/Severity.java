package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The severity of the alarm behind a ticket: the base of its priority. The bridge keeps its own
 * type (it knows no rules); the names are those of the rule files and the database CHECK.
 */
public enum Severity {
  CRITICAL,
  MAJOR,
  MINOR,
  WARNING;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity fromWireName(String name) {
    for (Severity severity : values()) {
      if (severity.wireName().equals(name)) {
        return severity;
      }
    }
    throw new BridgeException(BridgeException.Kind.INVALID, "unknown severity '" + name + "'");
  }
}
