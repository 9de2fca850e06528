package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The states of a service case, following the after-sales closed loop (docs/tickets.md). */
public enum TicketStatus {
  OPEN,
  ACKNOWLEDGED,
  DISPATCHED,
  IN_PROGRESS,
  AWAITING_PARTS,
  RESOLVED,
  CLOSED,
  CANCELLED,
  /** A closed or cancelled case filed away by the archive job; it never changes again. */
  ARCHIVED;

  /**
   * The case's outcome is settled: closed, cancelled or archived. A new fault opens a new ticket;
   * the only step left for closed and cancelled cases is archiving.
   */
  public boolean isFinal() {
    return this == CLOSED || this == CANCELLED || this == ARCHIVED;
  }

  /** States reachable from this one. */
  public Set<TicketStatus> next() {
    return switch (this) {
      case OPEN -> EnumSet.of(ACKNOWLEDGED, CANCELLED);
      case ACKNOWLEDGED -> EnumSet.of(DISPATCHED, CANCELLED);
      case DISPATCHED -> EnumSet.of(IN_PROGRESS, CANCELLED);
      case IN_PROGRESS -> EnumSet.of(AWAITING_PARTS, RESOLVED, CANCELLED);
      case AWAITING_PARTS -> EnumSet.of(IN_PROGRESS, RESOLVED, CANCELLED);
      // The customer or the verification finds the fault still there: back to work.
      case RESOLVED -> EnumSet.of(CLOSED, IN_PROGRESS);
      // Archiving is the archive job's step, never a staff transition (TicketTransitions).
      case CLOSED, CANCELLED -> EnumSet.of(ARCHIVED);
      case ARCHIVED -> EnumSet.noneOf(TicketStatus.class);
    };
  }

  /** Closing (customer sign-off) and cancelling end a case: supervisors decide those. */
  public boolean needsSupervisor() {
    return this == CLOSED || this == CANCELLED;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TicketStatus fromWireName(String name) {
    if (name == null) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'to' is required");
    }
    for (TicketStatus status : values()) {
      if (status.wireName().equals(name)) {
        return status;
      }
    }
    throw new BridgeException(BridgeException.Kind.INVALID, "unknown ticket status '" + name + "'");
  }
}
