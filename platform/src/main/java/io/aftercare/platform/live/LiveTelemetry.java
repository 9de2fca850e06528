package io.aftercare.platform.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.domain.Telemetry;
import io.aftercare.platform.ingest.TelemetryWriter;
import io.aftercare.platform.ingest.Uplink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Telemetry for the streams watching a device, told by the telemetry writer after each commit, so
 * that a chart never shows a point the store does not have. Comes in-process: points are far too
 * many for NOTIFY, and only the process that took the device's message has them.
 */
public final class LiveTelemetry implements TelemetryWriter.CommitListener {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LiveHub hub;

  public LiveTelemetry(LiveHub hub) {
    this.hub = hub;
  }

  @Override
  public void committed(List<Uplink> uplinks) {
    for (Uplink uplink : uplinks) {
      if (uplink instanceof Uplink.TelemetryBatch batch && hub.watched(batch.deviceId())) {
        List<String> events = new ArrayList<>(batch.documents().size());
        for (Telemetry document : batch.documents()) {
          events.add(json(document));
        }
        hub.toWatchers(batch.deviceId(), "telemetry", events);
      }
    }
  }

  private static String json(Telemetry document) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("deviceId", document.deviceId());
    event.put("ts", document.ts().toString());
    event.put("metrics", new TreeMap<>(document.metrics()));
    try {
      return JSON.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a telemetry document is always serialisable", e);
    }
  }

  @Override
  public String toString() {
    return "live telemetry";
  }
}
