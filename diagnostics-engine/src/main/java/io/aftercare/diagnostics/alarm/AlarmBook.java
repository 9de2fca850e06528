package io.aftercare.diagnostics.alarm;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.eval.Verdict;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open alarms of one device, at most one per rule, and the state machine that turns verdicts
 * into {@link AlarmChange}s: a raise with no open alarm is RAISED; a raise on an open alarm is
 * ESCALATED when more severe, otherwise UPDATED (only for fresh evidence, not clock ticks); a clear
 * on an open alarm is CLEARED. Severity never steps down while the alarm stays open.
 */
public final class AlarmBook {
  private Map<String, Alarm> open;

  /** Applies a verdict; returns the change, or {@code null} when the alarm did not change. */
  public AlarmChange apply(Rule rule, Verdict verdict, long at, DeviceProfile device) {
    Alarm alarm = open == null ? null : open.get(rule.id());
    switch (verdict.outcome()) {
      case RAISE -> {
        if (alarm == null) {
          alarm = new Alarm(rule.id(), verdict.severity(), at, verdict.value(), verdict.forecast());
          openMap().put(rule.id(), alarm);
          return change(AlarmChangeType.RAISED, rule, alarm, verdict.severity(), at, null, device);
        }
        Severity before = alarm.severity();
        boolean escalated =
            alarm.seenAgain(
                verdict.severity(),
                at,
                verdict.value(),
                rule.peak(),
                verdict.newOccurrence(),
                verdict.forecast());
        if (escalated) {
          return change(AlarmChangeType.ESCALATED, rule, alarm, before, at, null, device);
        }
        return verdict.newOccurrence()
            ? change(AlarmChangeType.UPDATED, rule, alarm, before, at, null, device)
            : null;
      }
      case CLEAR -> {
        return alarm == null ? null : close(rule, alarm, at, null, device);
      }
      default -> {
        return null;
      }
    }
  }

  /** Staff saw the alarm; returns {@code null} when no alarm is open for the rule. */
  public AlarmChange acknowledge(Rule rule, long at, String actor, DeviceProfile device) {
    Alarm alarm = open == null ? null : open.get(rule.id());
    if (alarm == null) {
      return null;
    }
    alarm.acknowledge(at, actor);
    return change(AlarmChangeType.ACKNOWLEDGED, rule, alarm, alarm.severity(), at, actor, device);
  }

  /** Staff confirmed a remote fix worked; returns {@code null} when no alarm is open. */
  public AlarmChange clearVerifiedFix(Rule rule, long at, String actor, DeviceProfile device) {
    Alarm alarm = open == null ? null : open.get(rule.id());
    return alarm == null ? null : close(rule, alarm, at, actor, device);
  }

  public void restore(AlarmSnapshot snapshot) {
    openMap().put(snapshot.ruleId(), Alarm.restore(snapshot));
  }

  public List<AlarmSnapshot> snapshots(DeviceProfile device) {
    List<AlarmSnapshot> result = new ArrayList<>();
    if (open != null) {
      open.values().forEach(alarm -> result.add(alarm.snapshot(device)));
    }
    return result;
  }

  private AlarmChange close(Rule rule, Alarm alarm, long at, String actor, DeviceProfile device) {
    open.remove(rule.id());
    alarm.clear();
    return change(AlarmChangeType.CLEARED, rule, alarm, alarm.severity(), at, actor, device);
  }

  private Map<String, Alarm> openMap() {
    if (open == null) {
      // Most devices never have an alarm: the map is created on the first one.
      open = new HashMap<>(4);
    }
    return open;
  }

  private static AlarmChange change(
      AlarmChangeType type,
      Rule rule,
      Alarm alarm,
      Severity before,
      long at,
      String actor,
      DeviceProfile device) {
    return new AlarmChange(
        type,
        Instant.ofEpochMilli(at),
        before,
        actor,
        rule.category(),
        rule.remedies(),
        rule.openTicket(),
        rule.description(),
        alarm.snapshot(device));
  }
}
