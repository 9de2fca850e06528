package io.aftercare.platform.alarms;

import java.time.Instant;
import java.util.List;

/**
 * A home alarm as staff see it: the outage and the device alarms it explains. The home itself is
 * personal data and not shown; staff reach it through the linked devices.
 *
 * @param devicesTotal the home's devices in service when it was raised
 * @param devicesOffline how many of them had gone offline together then
 * @param explains the device alarms linked to it, which opened no ticket of their own
 */
public record HomeAlarmView(
    long id,
    String status,
    String description,
    Instant raisedAt,
    Instant clearedAt,
    int devicesTotal,
    int devicesOffline,
    List<ExplainedAlarm> explains) {

  /** A device alarm the home alarm explains. */
  public record ExplainedAlarm(long alarmId, String deviceId, String ruleId, String status) {}
}
