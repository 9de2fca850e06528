package io.aftercare.platform.staff;

import java.util.Locale;
import java.util.Optional;

/** Staff roles, each allowed everything the ones before it are. */
public enum Role {
  VIEWER,
  TECHNICIAN,
  SUPERVISOR,
  ADMIN;

  public boolean atLeast(Role required) {
    return compareTo(required) >= 0;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromWireName(String name) {
    for (Role role : values()) {
      if (role.wireName().equals(name)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
