package io.aftercare.diagnostics.rules;

import java.util.Locale;

/** The detection pattern a rule uses; docs/diagnostics.md gives the semantics of each. */
public enum RuleKind {
  /** A condition on the latest value of a metric, raised on the first sample that meets it. */
  THRESHOLD,
  /** A condition on a metric held on every sample for at least {@code for}. */
  DURATION,
  /** A condition on a metric met at least {@code count} times within {@code window}. */
  REPEATING,
  /** No telemetry nor events, and not connected, for at least {@code after}. */
  ABSENCE,
  /**
   * A metric that normally varies reporting the same value for {@code samples} and {@code after}.
   */
  STUCK,
  /** A condition on how far a metric moved ({@code delta}) within {@code window}. */
  RATE_OF_CHANGE,
  /**
   * A two-state signal (a boolean metric or online/offline) toggling often within {@code window}.
   */
  FLAPPING,
  /** Device events matching a filter, at least {@code count} of them within {@code window}. */
  EVENT,
  /**
   * A metric falling, by a robust trend over {@code window}, towards {@code limit}, which it is
   * forecast to reach {@code within} a level's horizon.
   */
  FORECAST;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Kinds whose levels are reached by counting occurrences within a window. */
  public boolean isCounting() {
    return this == REPEATING || this == FLAPPING || this == EVENT;
  }

  /** Kinds whose levels are reached after a length of time. */
  public boolean isTimed() {
    return this == ABSENCE || this == STUCK;
  }

  /** Kinds whose levels are CEL conditions over a metric sample. */
  public boolean isConditional() {
    return this == THRESHOLD || this == DURATION || this == RATE_OF_CHANGE;
  }
}
