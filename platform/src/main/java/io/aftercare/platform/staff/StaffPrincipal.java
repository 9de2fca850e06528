package io.aftercare.platform.staff;

/** An authenticated member of staff making a request. */
public record StaffPrincipal(String name, Role role) {}
