package io.aftercare.diagnostics.alarm;

import io.aftercare.diagnostics.DeviceProfile;
import io.aftercare.diagnostics.eval.Forecast;
import io.aftercare.diagnostics.rules.PeakDirection;
import io.aftercare.diagnostics.rules.Severity;
import java.time.Instant;

/** The one open alarm of a (device, rule): mutable, owned by the device's {@link AlarmBook}. */
final class Alarm {
  private final String ruleId;
  private final long raisedAt;
  private Severity severity;
  private AlarmStatus status = AlarmStatus.ACTIVE;
  private long lastSeenAt;
  private long count;
  private double lastValue;
  private double peakValue;
  private long acknowledgedAt;
  private String acknowledgedBy;
  private Forecast forecast;

  Alarm(String ruleId, Severity severity, long at, double value, Forecast forecast) {
    this.ruleId = ruleId;
    this.forecast = forecast;
    this.raisedAt = at;
    this.severity = severity;
    this.lastSeenAt = at;
    this.count = 1;
    this.lastValue = value;
    this.peakValue = value;
  }

  static Alarm restore(AlarmSnapshot snapshot) {
    Alarm alarm =
        new Alarm(
            snapshot.ruleId(),
            snapshot.severity(),
            snapshot.raisedAt().toEpochMilli(),
            snapshot.peakValue(),
            snapshot.forecast());
    alarm.status = snapshot.status();
    alarm.lastSeenAt = snapshot.lastSeenAt().toEpochMilli();
    alarm.count = snapshot.count();
    alarm.lastValue = snapshot.lastValue();
    if (snapshot.acknowledgedAt() != null) {
      alarm.acknowledgedAt = snapshot.acknowledgedAt().toEpochMilli();
      alarm.acknowledgedBy = snapshot.acknowledgedBy();
    }
    return alarm;
  }

  /**
   * Records a repeat; returns whether the severity went up. A fresh {@code forecast} (may be null)
   * replaces the one shown.
   */
  boolean seenAgain(
      Severity reached,
      long at,
      double value,
      PeakDirection peak,
      boolean counts,
      Forecast forecast) {
    lastSeenAt = Math.max(lastSeenAt, at);
    if (forecast != null) {
      this.forecast = forecast;
    }
    if (counts) {
      count++;
    }
    if (!Double.isNaN(value)) {
      lastValue = value;
      peakValue = Double.isNaN(peakValue) ? value : peak.worse(peakValue, value);
    }
    if (reached.isAbove(severity)) {
      severity = reached;
      return true;
    }
    return false;
  }

  void acknowledge(long at, String actor) {
    status = AlarmStatus.ACKNOWLEDGED;
    acknowledgedAt = at;
    acknowledgedBy = actor;
  }

  void clear() {
    status = AlarmStatus.CLEARED;
  }

  Severity severity() {
    return severity;
  }

  AlarmStatus status() {
    return status;
  }

  AlarmSnapshot snapshot(DeviceProfile device) {
    boolean acknowledged = acknowledgedBy != null;
    return new AlarmSnapshot(
        device,
        ruleId,
        severity,
        status,
        Instant.ofEpochMilli(raisedAt),
        Instant.ofEpochMilli(lastSeenAt),
        count,
        lastValue,
        peakValue,
        acknowledged ? Instant.ofEpochMilli(acknowledgedAt) : null,
        acknowledged ? acknowledgedBy : null,
        forecast);
  }
}
