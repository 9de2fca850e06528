package io.aftercare.platform.command;

import java.util.Locale;

/** The life-cycle states of a command (the contract's names, in lower case on the wire). */
public enum CommandStatus {
  /** Waits for a second staff member's approval; not delivered (commands.secondApprover). */
  AWAITING_APPROVAL,
  QUEUED,
  SENT,
  ACCEPTED,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  EXPIRED,
  /** The second approver refused it; never delivered. */
  REJECTED;

  @com.fasterxml.jackson.annotation.JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CommandStatus fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  public boolean isFinal() {
    return this == SUCCEEDED
        || this == FAILED
        || this == TIMED_OUT
        || this == EXPIRED
        || this == REJECTED;
  }
}
