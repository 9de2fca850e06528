package io.aftercare.platform.alarms;

import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;

/**
 * Who the platform itself is when it acts on a device: remote-fix-first sends remedies, and
 * diagnostic sessions run self-tests, under this name, which is what the audit log and command
 * history show. It has supervisor rights because a rule's remedy may be a high-risk command (a
 * firmware rollback for a reboot loop) that an operator put in the rule on purpose.
 */
public final class SystemActor {

  public static final StaffPrincipal DIAGNOSTICS =
      new StaffPrincipal("diagnostics-engine", Role.SUPERVISOR);

  private SystemActor() {}
}
