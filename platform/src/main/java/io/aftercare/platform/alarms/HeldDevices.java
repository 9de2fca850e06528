package io.aftercare.platform.alarms;

import io.aftercare.diagnostics.HistoryRecord;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import io.aftercare.platform.ingest.Uplink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which devices this node's engine holds, that is evaluates, and for the others which of their
 * inputs this node has handed to diagnostics since it last held them. A device is held from its
 * first input on this node, once its state has been rebuilt from the database ({@link
 * DeviceRebuild}), until it went offline here or stayed idle here ({@link #releaseIdle}): then
 * another node may be receiving it, and state kept here would go stale.
 *
 * <p>What arrived before the device was held is what the rebuild must not replay: the database
 * already holds those inputs (the writer hands them over after its commit), and they still wait in
 * the inbox, which evaluates them. Everything else the database holds for the device is replayed,
 * so an input that arrives late (older than what another node already evaluated) is still judged
 * late here, as on one node.
 *
 * <p>The writer thread and the event loops record arrivals; only the diagnostics thread holds and
 * releases. An arrival for a held device costs one map read.
 */
final class HeldDevices {

  /**
   * The inputs of a device not yet held that arrived here, by their stored identity (device time,
   * to the millisecond; for events also type and code). Mutated only inside the map's compute.
   */
  static final class Arrived {
    static final Arrived NONE = new Arrived();

    private final Set<Long> telemetry = new HashSet<>();
    private final Set<String> events = new HashSet<>();
    private final Set<Long> connectivity = new HashSet<>();

    boolean contains(HistoryRecord record) {
      if (record instanceof HistoryRecord.TelemetryRecord t) {
        return telemetry.contains(t.telemetry().ts().toEpochMilli());
      }
      if (record instanceof HistoryRecord.EventRecord e) {
        return events.contains(eventKey(e.event()));
      }
      return connectivity.contains(record.at().toEpochMilli());
    }

    private static String eventKey(DeviceEvent event) {
      // An event without a code is stored with an empty one.
      String code = event.code() == null ? "" : event.code();
      return event.ts().toEpochMilli() + " " + event.type() + " " + code;
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

  /** Device id to {@link Held}, or to what {@link Arrived} before it was held. */
  private final Map<String, Object> devices = new ConcurrentHashMap<>();

  /** From the writer thread, after the commit of {@code uplinks} and before they are queued. */
  void arrived(List<Uplink> uplinks) {
    for (Uplink uplink : uplinks) {
      if (uplink instanceof Uplink.TelemetryBatch batch) {
        arrived(
            uplink.deviceId(),
            arrived -> {
              for (Telemetry document : batch.documents()) {
                arrived.telemetry.add(document.ts().toEpochMilli());
              }
            });
      } else if (uplink instanceof Uplink.Event event) {
        arrived(uplink.deviceId(), arrived -> arrived.events.add(Arrived.eventKey(event.event())));
      }
    }
  }

  /** From an event loop, after the connection was stored and before the change is queued. */
  void connected(String deviceId, Instant at) {
    arrived(deviceId, arrived -> arrived.connectivity.add(at.toEpochMilli()));
  }

  private void arrived(String deviceId, Consumer<Arrived> note) {
    if (devices.get(deviceId) instanceof Held) {
      return;
    }
    devices.compute(
        deviceId,
        (id, known) -> {
          if (known instanceof Held) {
            return known;
          }
          Arrived arrived = known == null ? new Arrived() : (Arrived) known;
          note.accept(arrived);
          return arrived;
        });
  }

  boolean isHeld(String deviceId) {
    return devices.get(deviceId) instanceof Held;
  }

  /**
   * The device is held from now on; returns what arrived before. Call it after the rebuild has read
   * the database, so that every input committed before that read is either among these or replayed.
   */
  Arrived hold(String deviceId, Instant now) {
    Object before = devices.put(deviceId, new Held(now.toEpochMilli()));
    return before instanceof Arrived arrived ? arrived : Arrived.NONE;
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
