package io.aftercare.platform.device;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a device stands in its service life. Only an active device is watched for silence and gets
 * tickets: one in maintenance is being worked on, so its dropped link is expected; a decommissioned
 * one is out of service for good, and its token no longer connects it.
 */
public enum ServiceState {
  ACTIVE,
  MAINTENANCE,
  DECOMMISSIONED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ServiceState> fromWireName(String name) {
    for (ServiceState state : values()) {
      if (state.wireName().equals(name)) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }
}
