package io.aftercare.platform.ingest;

import io.aftercare.domain.CommandResult;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import java.util.List;

/** A validated document from a device, ready to be stored. */
public sealed interface Uplink {

  String deviceId();

  /** Rows it will occupy in the write queue, for the queue's bound. */
  int weight();

  record TelemetryBatch(String deviceId, List<Telemetry> documents) implements Uplink {
    public TelemetryBatch {
      documents = List.copyOf(documents);
    }

    @Override
    public int weight() {
      int points = 0;
      for (Telemetry document : documents) {
        points += document.pointCount();
      }
      return points;
    }
  }

  /** A device's answer to a command; stored by the command service, not the telemetry writer. */
  record CommandAnswer(CommandResult result) implements Uplink {
    @Override
    public String deviceId() {
      return result.deviceId();
    }

    @Override
    public int weight() {
      return 1;
    }
  }

  record Event(DeviceEvent event) implements Uplink {
    @Override
    public String deviceId() {
      return event.deviceId();
    }

    @Override
    public int weight() {
      return 1;
    }
  }
}
