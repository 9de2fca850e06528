package io.aftercare.diagnostics;

import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import java.time.Instant;

/** One item of recent history replayed by {@link DiagnosticsEngine#restore} after a restart. */
public sealed interface HistoryRecord {

  DeviceProfile device();

  Instant at();

  record TelemetryRecord(DeviceProfile device, Telemetry telemetry) implements HistoryRecord {
    @Override
    public Instant at() {
      return telemetry.ts();
    }
  }

  record EventRecord(DeviceProfile device, DeviceEvent event) implements HistoryRecord {
    @Override
    public Instant at() {
      return event.ts();
    }
  }

  record ConnectivityRecord(DeviceProfile device, LinkChange change, Instant at)
      implements HistoryRecord {}
}
