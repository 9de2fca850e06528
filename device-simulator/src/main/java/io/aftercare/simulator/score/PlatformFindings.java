package io.aftercare.simulator.score;

import io.aftercare.simulator.platform.PlatformApi;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the platform concluded about a run's devices: their alarms and tickets, via the API. */
public record PlatformFindings(List<PlatformAlarm> alarms, List<PlatformTicket> tickets) {

  public PlatformFindings {
    alarms = List.copyOf(alarms);
    tickets = List.copyOf(tickets);
  }

  public static PlatformFindings fetch(PlatformApi api, Collection<String> deviceIds) {
    List<PlatformAlarm> alarms = new ArrayList<>();
    List<PlatformTicket> tickets = new ArrayList<>();
    for (String deviceId : deviceIds) {
      api.alarms(deviceId).forEach(a -> alarms.add(PlatformAlarm.fromJson(a)));
      api.tickets(deviceId).forEach(t -> tickets.add(PlatformTicket.fromJson(t)));
    }
    return new PlatformFindings(alarms, tickets);
  }

  /** Fills in device types a ground truth from before device lines lacks, from the API. */
  public static GroundTruth withTypesFromPlatform(PlatformApi api, GroundTruth truth) {
    Map<String, String> types = new LinkedHashMap<>();
    truth.untypedDevices().forEach(id -> types.put(id, api.deviceType(id)));
    return truth.withDeviceTypes(types);
  }
}
