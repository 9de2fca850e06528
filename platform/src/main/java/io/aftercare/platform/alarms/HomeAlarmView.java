package io.aftercare.platform.alarms;

import java.time.Instant;
import java.util.List;

/**
 * A home alarm as staff see it: the outage, hub failure or degradation, and the device alarms it
 * explains. The home itself is personal data and not shown; staff reach it through the linked
 * devices.
 *
 * @param kind outage (the home offline: power or internet), hub_failure (every device behind the
 *     hub {@code hubId} offline) or degraded (most of the home raising one degradation alarm)
 * @param hubId the failed hub, for a hub failure; else {@code null}
 * @param devicesTotal the devices it was judged on when it was raised, in service: the home's
 *     (outage), those behind the hub (hub_failure), or the home's the degradation rule watches
 * @param devicesOffline how many of them had gone offline (or degraded) together then
 * @param incidentId the fleet incident that explains it with other homes' outages; else {@code
 *     null}
 * @param explains the device alarms linked to it, which opened no ticket of their own
 */
public record HomeAlarmView(
    long id,
    String kind,
    String hubId,
    String status,
    String description,
    Instant raisedAt,
    Instant clearedAt,
    int devicesTotal,
    int devicesOffline,
    Long incidentId,
    List<ExplainedAlarm> explains) {

  /** A device alarm the home alarm explains. */
  public record ExplainedAlarm(long alarmId, String deviceId, String ruleId, String status) {}
}
