package io.aftercare.platform.alarms;

import io.aftercare.domain.Telemetry;
import io.aftercare.platform.ingest.Uplink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which devices this node's engine holds, that is evaluates, and for the others what this node has
 * handed to diagnostics since it last held them. A device is held from its first input on this
 * node, once its state has been rebuilt from the database ({@link DeviceRebuild}), until it went
 * offline here or stayed idle here ({@link #releaseIdle}): then another node may be receiving it,
 * and state kept here would go stale.
 *
 * <p>What arrived before the device was held is the rebuild's boundary: the database already holds
 * those inputs (the writer hands them over after its commit), and they still wait in the inbox, so
 * the rebuild replays each kind of input only up to the first one that arrived here, and the inbox
 * evaluates the rest, each input once.
 *
 * <p>The writer thread and the event loops record arrivals; only the diagnostics thread holds and
 * releases. An arrival for a held device costs one map read.
 */
final class HeldDevices {

  /** Where the rebuild stops replaying each kind of input: nothing arrived yet is no boundary. */
  record Boundary(Instant telemetry, Instant events, Instant connectivity) {
    static final Boundary NONE = new Boundary(null, null, null);

    private Boundary earliest(Boundary other) {
      return new Boundary(
          earlier(telemetry, other.telemetry),
          earlier(events, other.events),
          earlier(connectivity, other.connectivity));
    }

    private static Instant earlier(Instant a, Instant b) {
      return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }
  }

  /** A held device, as only the diagnostics thread reads and writes it. */
  private static final class Held {
    private long lastInputMillis;
    private boolean offlineHere;

    private Held(long now) {
      this.lastInputMillis = now;
    }
  }

  /** Device id to {@link Held}, or to the {@link Boundary} of what arrived before it was held. */
  private final Map<String, Object> devices = new ConcurrentHashMap<>();

  /** From the writer thread, after the commit of {@code uplinks} and before they are queued. */
  void arrived(List<Uplink> uplinks) {
    for (Uplink uplink : uplinks) {
      if (uplink instanceof Uplink.TelemetryBatch batch && !batch.documents().isEmpty()) {
        Instant earliest = batch.documents().get(0).ts();
        for (Telemetry document : batch.documents()) {
          earliest = document.ts().isBefore(earliest) ? document.ts() : earliest;
        }
        arrived(uplink.deviceId(), new Boundary(earliest, null, null));
      } else if (uplink instanceof Uplink.Event event) {
        arrived(uplink.deviceId(), new Boundary(null, event.event().ts(), null));
      }
    }
  }

  /** From an event loop, after the connection change was stored and before it is queued. */
  void connectivityArrived(String deviceId, Instant at) {
    arrived(deviceId, new Boundary(null, null, at));
  }

  private void arrived(String deviceId, Boundary boundary) {
    if (devices.get(deviceId) instanceof Held) {
      return;
    }
    devices.merge(
        deviceId,
        boundary,
        (known, added) -> known instanceof Boundary b ? b.earliest((Boundary) added) : known);
  }

  boolean isHeld(String deviceId) {
    return devices.get(deviceId) instanceof Held;
  }

  /**
   * The device is held from now on; returns the boundary of what arrived before. Call it after the
   * rebuild has read the database, so that every input committed before that read has either moved
   * the boundary or is replayed.
   */
  Boundary hold(String deviceId, Instant now) {
    Object before = devices.put(deviceId, new Held(now.toEpochMilli()));
    return before instanceof Boundary b ? b : Boundary.NONE;
  }

  /**
   * An input of a held device was handled at {@code now}; {@code online} is what a connection
   * change said, null for data.
   */
  void touched(String deviceId, Instant now, Boolean online) {
    if (devices.get(deviceId) instanceof Held held) {
      held.lastInputMillis = now.toEpochMilli();
      if (online != null) {
        held.offlineHere = !online;
      }
    }
  }

  /**
   * Releases and returns the held devices that went offline here and sent nothing here for {@code
   * offlineGrace}, or sent nothing here for {@code idleLimit}: another node may be receiving them.
   * The grace lets what a device sent just before it disconnected, still on its way through the
   * writer, be evaluated here first.
   */
  List<String> releaseIdle(Instant now, Duration offlineGrace, Duration idleLimit) {
    long offlineCutoff = now.minus(offlineGrace).toEpochMilli();
    long idleCutoff = now.minus(idleLimit).toEpochMilli();
    List<String> released = new ArrayList<>();
    devices.forEach(
        (deviceId, entry) -> {
          if (entry instanceof Held held
              && (held.lastInputMillis < idleCutoff
                  || (held.offlineHere && held.lastInputMillis < offlineCutoff))) {
            released.add(deviceId);
          }
        });
    released.forEach(devices::remove);
    return released;
  }
}
