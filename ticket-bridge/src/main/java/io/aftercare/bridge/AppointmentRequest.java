package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;

/**
 * A window to book with a technician (docs/dispatch.md). Invalid values are refused naming the
 * field.
 *
 * @param technician the technician's staff name
 * @param startsAt start of the window, inclusive
 * @param endsAt end of the window, exclusive: a visit may start when the previous one ends
 * @param addressRef a reference into the customer system's addresses; null for a remote session
 */
public record AppointmentRequest(
    String technician, Instant startsAt, Instant endsAt, String addressRef) {

  /** Longer windows are not appointments the customer could plan around. */
  public static final Duration MAX_WINDOW = Duration.ofHours(12);

  private static final int MAX_ADDRESS_REF = 200;

  public AppointmentRequest {
    if (technician == null || technician.isBlank()) {
      throw invalid("technician", "is required");
    }
    if (startsAt == null) {
      throw invalid("startsAt", "is required");
    }
    if (endsAt == null) {
      throw invalid("endsAt", "is required");
    }
    if (!endsAt.isAfter(startsAt)) {
      throw invalid("endsAt", "must be after 'startsAt'");
    }
    if (Duration.between(startsAt, endsAt).compareTo(MAX_WINDOW) > 0) {
      throw invalid("endsAt", "must be at most " + MAX_WINDOW.toHours() + " h after 'startsAt'");
    }
    if (addressRef != null && (addressRef.isBlank() || addressRef.length() > MAX_ADDRESS_REF)) {
      throw invalid("addressRef", "must be 1 to " + MAX_ADDRESS_REF + " characters");
    }
  }

  private static BridgeException invalid(String field, String what) {
    return new BridgeException(BridgeException.Kind.INVALID, "'" + field + "' " + what);
  }
}
