package io.aftercare.diagnostics.alarm;

/** Life cycle of an alarm: active, then optionally acknowledged by staff, then cleared. */
public enum AlarmStatus {
  ACTIVE,
  ACKNOWLEDGED,
  CLEARED
}
