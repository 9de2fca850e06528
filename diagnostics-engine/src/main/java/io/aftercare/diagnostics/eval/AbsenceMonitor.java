package io.aftercare.diagnostics.eval;

import io.aftercare.diagnostics.LinkChange;
import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.diagnostics.rules.SeverityLevel;

/**
 * Raised on a tick when the device has sent nothing and has not been connected for a level's {@code
 * after}; cleared by the next telemetry, event or reconnection. The elapsed time is in the
 * verdict's value, in seconds. Reads {@link DeviceActivity}, so it keeps no memory of its own.
 */
final class AbsenceMonitor extends RuleMonitor {

  AbsenceMonitor(Rule rule) {
    super(rule);
  }

  @Override
  public Verdict onTick(long now, DeviceActivity activity) {
    if (activity.lastActivity() == DeviceActivity.UNKNOWN || activity.isOnline()) {
      return Verdict.HOLD;
    }
    long silentMillis = Math.min(now - activity.lastActivity(), activity.offlineMillis(now));
    SeverityLevel reached = null;
    for (SeverityLevel level : rule.levels()) {
      if (silentMillis >= level.after().toMillis()) {
        reached = level;
      }
    }
    return reached == null
        ? Verdict.HOLD
        : Verdict.confirm(reached.severity(), silentMillis / 1000.0);
  }

  @Override
  public Verdict onActivity(long at) {
    return Verdict.CLEAR;
  }

  @Override
  public Verdict onConnectivity(LinkChange change, long at) {
    return change.online() ? Verdict.CLEAR : Verdict.HOLD;
  }

  @Override
  public boolean isShareable() {
    return true;
  }
}
