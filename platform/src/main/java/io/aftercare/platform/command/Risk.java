package io.aftercare.platform.command;

import io.aftercare.platform.staff.Role;

/** How much harm a command can do, and so who may send it. */
public enum Risk {
  LOW(Role.TECHNICIAN),
  MEDIUM(Role.TECHNICIAN),
  HIGH(Role.SUPERVISOR);

  private final Role requiredRole;

  Risk(Role requiredRole) {
    this.requiredRole = requiredRole;
  }

  public Role requiredRole() {
    return requiredRole;
  }

  /** Lower case on the wire, like every other enum of the API. */
  @com.fasterxml.jackson.annotation.JsonValue
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
