package io.aftercare.platform.remediation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where an open alarm stands in remote-fix-first; the {@code alarms.remediation_state} column,
 * whose CHECK constraint lists the same names.
 */
public enum RemediationState {
  /**
   * Stored, but nothing decided yet. The alarm change and its decision commit together, so only an
   * older version or a crash in a migration leaves a row here; the start-up sweep decides it.
   */
  UNDECIDED,
  /** No remedy to try: the rule has none. */
  NONE,
  /** A remedy command is out; its final status moves the alarm on. */
  TRYING,
  /** A remedy succeeded; the alarm clears as fixed remotely unless the fault returns in time. */
  VERIFYING,
  /** A remedy was verified. */
  FIXED,
  /** Every remedy was tried, or none could be sent. */
  EXHAUSTED,
  /**
   * A playbook step failed whose {@code on_failure} is {@code stop}: the run ended without a ticket
   * and the alarm waits for staff.
   */
  STOPPED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RemediationState fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
