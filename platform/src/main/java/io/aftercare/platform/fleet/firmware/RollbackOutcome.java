package io.aftercare.platform.fleet.firmware;

import java.util.List;

/**
 * What a fleet rollback did, device by device, in counts.
 *
 * @param started runs stored (a run whose step could not be sent, e.g. to an offline device, is
 *     stored and ends {@code failed} at once: see the run's events)
 * @param refusedForConsent devices whose owner's session does not cover the first step; no run and
 *     no command
 * @param refusedDeviceIds the first {@link FirmwareRollbacks#LISTED_DEVICES} of them, by id
 * @param refusedOtherwise devices whose first step the command service refused for another reason
 *     (e.g. too many commands open)
 * @param skipped devices already running the playbook
 */
public record RollbackOutcome(
    long alarmId,
    String playbook,
    int devices,
    int started,
    int refusedForConsent,
    List<String> refusedDeviceIds,
    int refusedOtherwise,
    int skipped) {}
