package io.aftercare.diagnostics;

import io.aftercare.diagnostics.alarm.AlarmBook;
import io.aftercare.diagnostics.eval.DeviceActivity;
import io.aftercare.diagnostics.eval.RuleMonitor;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the engine remembers about one device. Bounded: at most {@link #MAX_METRICS} latest
 * values, one monitor per applicable rule (each with a capped window), one alarm per rule.
 */
final class DeviceState {
  /** Latest values kept for CEL's {@code metrics}; further metric names are evaluated, not kept. */
  static final int MAX_METRICS = 64;

  final Map<String, Double> latest = new HashMap<>(16);
  final DeviceActivity activity = new DeviceActivity();
  final AlarmBook alarms = new AlarmBook();
  DeviceProfile profile;
  Map<String, String> attributes;
  RuleBinding binding;
  RuleMonitor[] monitors;

  /** Time of the newest telemetry evaluated; older telemetry arrives late and is not evaluated. */
  long watermark = Long.MIN_VALUE;

  /**
   * The same for events, kept apart: devices report some events after the fact (a Wi-Fi drop is
   * told once the link is back, after fresher telemetry), and event rules have windows of their
   * own, so an event is late only relative to other events.
   */
  long eventWatermark = Long.MIN_VALUE;

  DeviceState(DeviceProfile profile) {
    this.profile = profile;
    this.attributes = profile.attributes();
  }

  /** Brings the monitors in line with {@code current}, and with a changed profile. */
  void bind(RuleBinding current, DeviceProfile newProfile) {
    boolean profileChanged = newProfile != null && !newProfile.equals(profile);
    if (profileChanged) {
      profile = newProfile;
      attributes = newProfile.attributes();
    }
    if (binding != current || profileChanged) {
      monitors = current.monitorsFor(profile, attributes, binding, monitors);
      binding = current;
    }
  }

  /** Stores a sample as the metric's latest value; returns the value it replaced, or NaN. */
  double record(String metric, double value) {
    // One hash lookup on the hot path: put when there is room, replace (never add) when full.
    Double previous =
        latest.size() < MAX_METRICS ? latest.put(metric, value) : latest.replace(metric, value);
    return previous == null ? Double.NaN : previous;
  }

  /** Accepts telemetry stamped {@code at} unless it is older than telemetry already evaluated. */
  boolean accept(long at) {
    if (at < watermark) {
      return false;
    }
    watermark = at;
    return true;
  }

  /** Accepts an event stamped {@code at} unless it is older than events already evaluated. */
  boolean acceptEvent(long at) {
    if (at < eventWatermark) {
      return false;
    }
    eventWatermark = at;
    return true;
  }
}
