package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The states of a complaint (docs/complaints.md): received, answered to the customer, resolved, and
 * closed once the customer confirmed the resolution. A resolution the customer does not confirm
 * sends it back to {@code responded}: the investigation goes on.
 */
public enum ComplaintStatus {
  RECEIVED,
  RESPONDED,
  RESOLVED,
  CLOSED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Refuses an unknown status naming the field {@code status}. */
  public static ComplaintStatus fromWireName(String name) {
    for (ComplaintStatus status : values()) {
      if (status.wireName().equals(name)) {
        return status;
      }
    }
    throw new BridgeException(
        BridgeException.Kind.INVALID, "unknown complaint status '" + name + "' in 'status'");
  }
}
