package io.aftercare.diagnostics.rules;

import java.util.Locale;

/** How urgent a fault is, from least to most severe; the declaration order is the ranking. */
public enum Severity {
  WARNING,
  MINOR,
  MAJOR,
  CRITICAL;

  public boolean isAbove(Severity other) {
    return compareTo(other) > 0;
  }

  /** The lower-case name used in rule files and in the public API. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
