package io.aftercare.platform.device;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Online and offline changes whose write failed because the database was away, per device and in
 * order, until {@link DeviceConnectivity} writes them again. Bounded: per device only the latest
 * {@link #PER_DEVICE} changes are kept (the summary needs only the last; the history loses the
 * oldest flaps of a long outage), and at most {@link #DEVICES} devices (beyond that the sessions
 * still open are ended at the next start, as after a crash). Thread-safe.
 */
final class UnrecordedTransitions {

  static final int PER_DEVICE = 16;
  static final int DEVICES = 100_000;

  /** One change as {@link DeviceConnectivity} records it. */
  record Transition(String deviceId, boolean online, String protocol, String reason, Instant at) {}

  private final Map<String, List<Transition>> byDevice = new LinkedHashMap<>();

  /** Keeps {@code transitions} (one device's, in order) to write later; false when full. */
  synchronized boolean add(List<Transition> transitions) {
    String deviceId = transitions.get(0).deviceId();
    List<Transition> pending = byDevice.get(deviceId);
    if (pending == null) {
      if (byDevice.size() >= DEVICES) {
        return false;
      }
      pending = new ArrayList<>();
      byDevice.put(deviceId, pending);
    }
    pending.addAll(transitions);
    while (pending.size() > PER_DEVICE) {
      pending.remove(0);
    }
    return true;
  }

  /** A copy of what waits, per device, in the order it happened. */
  synchronized List<List<Transition>> pending() {
    List<List<Transition>> copy = new ArrayList<>();
    byDevice.values().forEach(list -> copy.add(List.copyOf(list)));
    return copy;
  }

  /** Forgets {@code written}, leaving changes added since. */
  synchronized void written(List<Transition> written) {
    String deviceId = written.get(0).deviceId();
    List<Transition> pending = byDevice.get(deviceId);
    if (pending == null) {
      return;
    }
    pending.removeAll(written);
    if (pending.isEmpty()) {
      byDevice.remove(deviceId);
    }
  }

  synchronized int size() {
    return byDevice.size();
  }
}
