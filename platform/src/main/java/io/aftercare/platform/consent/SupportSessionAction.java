package io.aftercare.platform.consent;

import java.time.Instant;

/**
 * A staff action under a support session, as the owner reads it: when, by which role (not the staff
 * member's name), the command on which device, and where the command stands now.
 *
 * @param by the role of the staff member: technician, supervisor or admin
 * @param status the command's status now (queued, sent, succeeded, expired, …)
 */
public record SupportSessionAction(
    Instant at,
    String by,
    String deviceId,
    String command,
    CommandClass commandClass,
    String status) {}
