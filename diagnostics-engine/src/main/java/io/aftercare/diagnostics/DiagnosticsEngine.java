package io.aftercare.diagnostics;

import io.aftercare.diagnostics.alarm.AlarmChange;
import io.aftercare.diagnostics.alarm.AlarmSnapshot;
import io.aftercare.diagnostics.eval.EventVariables;
import io.aftercare.diagnostics.eval.RuleMonitor;
import io.aftercare.diagnostics.eval.SampleVariables;
import io.aftercare.diagnostics.eval.Verdict;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.RuleKind;
import io.aftercare.diagnostics.rules.RuleSet;
import io.aftercare.domain.DeviceEvent;
import io.aftercare.domain.Telemetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Detects faults in the data of a fleet: feed it telemetry, events, connection changes and clock
 * ticks; it returns the alarm changes they cause, for the caller to persist and act on.
 *
 * <p>Not thread-safe, by design: per-device state is updated without locks, so all calls for a
 * device must come from one thread (shard devices over several engines for more cores). Time comes
 * only from the data and from {@link #tick}'s argument, never from the wall clock. The rule set is
 * read from the supplier on every call, so a {@code RuleRegistry} reload takes effect on the next
 * call without a restart.
 */
public final class DiagnosticsEngine {
  private final Supplier<RuleSet> rules;
  private final Map<String, DeviceState> devices = new HashMap<>();
  private final SampleVariables sample = new SampleVariables();
  private RuleBinding binding;
  private double[] previousValues = new double[16];

  /** While restoring, monitors rebuild their windows but alarms neither open nor close. */
  private boolean replaying;

  public DiagnosticsEngine(Supplier<RuleSet> rules) {
    this.rules = rules;
  }

  public List<AlarmChange> onTelemetry(DeviceProfile device, Telemetry telemetry) {
    DeviceState state = state(device);
    long at = telemetry.ts().toEpochMilli();
    if (!state.accept(at)) {
      return List.of();
    }
    Map<String, Double> metrics = telemetry.metrics();
    if (previousValues.length < metrics.size()) {
      previousValues = new double[metrics.size()];
    }
    // All metrics of the document become "latest" before any rule runs, so a condition on
    // metrics.x sees the values measured at the same instant.
    int i = 0;
    for (Map.Entry<String, Double> point : metrics.entrySet()) {
      previousValues[i++] = state.record(point.getKey(), point.getValue());
    }
    List<AlarmChange> changes = null;
    i = 0;
    for (Map.Entry<String, Double> point : metrics.entrySet()) {
      double value = point.getValue();
      double previous = previousValues[i++];
      for (int rule : binding.rulesFor(point.getKey())) {
        RuleMonitor monitor = state.monitors[rule];
        if (monitor != null) {
          sample.set(
              value, Double.isNaN(previous) ? value : previous, state.latest, state.attributes);
          changes = collect(changes, state, rule, monitor.onSample(sample, at), at);
        }
      }
    }
    return heardFrom(state, at, changes);
  }

  public List<AlarmChange> onEvent(DeviceProfile device, DeviceEvent event) {
    DeviceState state = state(device);
    long at = event.ts().toEpochMilli();
    if (!state.acceptEvent(at)) {
      return List.of();
    }
    EventVariables variables = new EventVariables(event, state.latest, state.attributes);
    List<AlarmChange> changes = null;
    for (int rule : binding.eventRules) {
      RuleMonitor monitor = state.monitors[rule];
      if (monitor != null) {
        changes = collect(changes, state, rule, monitor.onEvent(variables, at), at);
      }
    }
    return heardFrom(state, at, changes);
  }

  /** The device's link changed at {@code at}: connected, ended cleanly, or dropped. */
  public List<AlarmChange> onConnectivity(DeviceProfile device, LinkChange change, Instant at) {
    DeviceState state = state(device);
    long millis = at.toEpochMilli();
    state.activity.connectivity(change.online(), millis);
    List<AlarmChange> changes = null;
    for (int rule : binding.connectivityRules) {
      RuleMonitor monitor = state.monitors[rule];
      if (monitor != null) {
        changes = collect(changes, state, rule, monitor.onConnectivity(change, millis), millis);
      }
    }
    return changes == null ? List.of() : changes;
  }

  /**
   * Lets time pass for every known device: silences become absence alarms and counting windows
   * expire (clearing flapping or repeated-error alarms). Call it periodically, e.g. every 10 s.
   */
  public List<AlarmChange> tick(Instant now) {
    return tick(now, true);
  }

  /**
   * Lets counting windows expire for every known device, as {@link #tick} does, but leaves absence
   * rules alone: for a caller that judges silences elsewhere, e.g. from a shared registry's
   * last-seen times when several engines each know only part of the fleet.
   */
  public List<AlarmChange> tickWindows(Instant now) {
    return tick(now, false);
  }

  private List<AlarmChange> tick(Instant now, boolean absence) {
    long millis = now.toEpochMilli();
    refreshBinding();
    List<AlarmChange> changes = null;
    for (DeviceState state : devices.values()) {
      state.bind(binding, null);
      for (int rule : binding.tickRules) {
        RuleMonitor monitor = state.monitors[rule];
        if (monitor != null && (absence || binding.rules[rule].kind() != RuleKind.ABSENCE)) {
          changes = collect(changes, state, rule, monitor.onTick(millis, state.activity), millis);
        }
      }
    }
    return changes == null ? List.of() : changes;
  }

  /**
   * Makes a device known without data, e.g. at start-up from the device registry, so that a device
   * that never speaks again still raises an absence alarm.
   */
  public void trackDevice(DeviceProfile device, Instant lastSeen, boolean online) {
    DeviceState state = state(device);
    state.activity.heardFrom(lastSeen.toEpochMilli());
    state.activity.connectivity(online, lastSeen.toEpochMilli());
  }

  /**
   * Nothing was heard from any device between {@code from} and {@code to} because the platform
   * itself was down: that stretch is not counted as the devices' silence. Without this, every
   * device still reconnecting after an outage longer than an absence rule's delay would raise an
   * alarm, and a ticket, for the platform's fault. Call it after {@link #trackDevice} and {@link
   * #restore}.
   */
  public void leaveOutOutage(Instant from, Instant to) {
    long fromMillis = from.toEpochMilli();
    long toMillis = to.toEpochMilli();
    for (DeviceState state : devices.values()) {
      state.activity.leaveOut(fromMillis, toMillis);
    }
  }

  /**
   * The device was heard from at {@code at} through something this engine was not given (e.g. the
   * registry's last-seen time, kept by whoever received the data): its absence alarms clear.
   */
  public List<AlarmChange> onHeardFrom(DeviceProfile device, Instant at) {
    return heardFrom(state(device), at.toEpochMilli(), null);
  }

  /** Staff acknowledged the alarm; empty when no alarm is open for that device and rule. */
  public Optional<AlarmChange> acknowledge(
      String deviceId, String ruleId, String actor, Instant at) {
    refreshBinding();
    DeviceState state = devices.get(deviceId);
    Optional<Rule> rule = binding.rule(ruleId);
    if (state == null || rule.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        state.alarms.acknowledge(rule.get(), at.toEpochMilli(), actor, state.profile));
  }

  /**
   * Closes the alarm because a remote fix was verified, and forgets the rule's window for the
   * device so the old evidence does not re-raise it; fresh evidence still will.
   */
  public Optional<AlarmChange> clearVerifiedFix(
      String deviceId, String ruleId, String actor, Instant at) {
    refreshBinding();
    DeviceState state = devices.get(deviceId);
    Optional<Rule> rule = binding.rule(ruleId);
    if (state == null || rule.isEmpty()) {
      return Optional.empty();
    }
    for (RuleMonitor monitor : state.monitors) {
      if (monitor != null && monitor.rule().id().equals(ruleId)) {
        monitor.reset();
      }
    }
    return Optional.ofNullable(
        state.alarms.clearVerifiedFix(rule.get(), at.toEpochMilli(), actor, state.profile));
  }

  /**
   * Rebuilds state after a restart: the open alarms as persisted, then recent history replayed in
   * time order to refill windows. Replay changes no alarm, so a fault open before the restart is
   * neither forgotten nor raised twice; the next live data updates or clears it as usual.
   */
  public void restore(List<AlarmSnapshot> openAlarms, List<HistoryRecord> history) {
    for (AlarmSnapshot snapshot : openAlarms) {
      state(snapshot.device()).alarms.restore(snapshot);
    }
    List<HistoryRecord> ordered = new ArrayList<>(history);
    ordered.sort(Comparator.comparing(HistoryRecord::at));
    replaying = true;
    try {
      for (HistoryRecord record : ordered) {
        if (record instanceof HistoryRecord.TelemetryRecord t) {
          onTelemetry(t.device(), t.telemetry());
        } else if (record instanceof HistoryRecord.EventRecord e) {
          onEvent(e.device(), e.event());
        } else if (record instanceof HistoryRecord.ConnectivityRecord c) {
          onConnectivity(c.device(), c.change(), c.at());
        }
      }
    } finally {
      replaying = false;
    }
  }

  /** The device's open alarms (active or acknowledged), e.g. for a health score. */
  public List<AlarmSnapshot> openAlarms(String deviceId) {
    DeviceState state = devices.get(deviceId);
    return state == null ? List.of() : state.alarms.snapshots(state.profile);
  }

  /** Drops a deprovisioned device and everything remembered about it. */
  public void forget(String deviceId) {
    devices.remove(deviceId);
  }

  public int deviceCount() {
    return devices.size();
  }

  private DeviceState state(DeviceProfile device) {
    refreshBinding();
    DeviceState state = devices.computeIfAbsent(device.id(), id -> new DeviceState(device));
    state.bind(binding, device);
    return state;
  }

  private void refreshBinding() {
    RuleSet current = rules.get();
    if (binding == null || binding.ruleSet != current) {
      binding = new RuleBinding(current);
    }
  }

  private List<AlarmChange> heardFrom(DeviceState state, long at, List<AlarmChange> changes) {
    state.activity.heardFrom(at);
    for (int rule : binding.activityRules) {
      RuleMonitor monitor = state.monitors[rule];
      if (monitor != null) {
        changes = collect(changes, state, rule, monitor.onActivity(at), at);
      }
    }
    return changes == null ? List.of() : changes;
  }

  private List<AlarmChange> collect(
      List<AlarmChange> changes, DeviceState state, int rule, Verdict verdict, long at) {
    if (replaying || verdict == Verdict.HOLD) {
      return changes;
    }
    AlarmChange change = state.alarms.apply(binding.rules[rule], verdict, at, state.profile);
    if (change == null) {
      return changes;
    }
    List<AlarmChange> result = changes == null ? new ArrayList<>(2) : changes;
    result.add(change);
    return result;
  }
}
