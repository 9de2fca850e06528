package io.aftercare.diagnostics.alarm;

/** What happened to an alarm; the integrator persists each change and acts on it. */
public enum AlarmChangeType {
  /** A new fault: no alarm for this device and rule was open. */
  RAISED,
  /** The open alarm saw the fault again: count, last seen, last and peak value moved. */
  UPDATED,
  /** The open alarm reached a more severe level. */
  ESCALATED,
  /** Staff acknowledged the open alarm. */
  ACKNOWLEDGED,
  /** The condition cleared, or staff confirmed a verified remote fix; the alarm is closed. */
  CLEARED
}
