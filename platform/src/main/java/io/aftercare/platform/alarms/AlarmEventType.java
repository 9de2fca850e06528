package io.aftercare.platform.alarms;

import java.util.Locale;

/** The kinds of {@code alarm_events} rows; the table's CHECK constraint lists the same names. */
public enum AlarmEventType {
  RAISED,
  ESCALATED,
  ACKNOWLEDGED,
  CLEARED,
  /** A remedy command went out (or the alarm joined one already out for the same fix). */
  REMEDY_SENT,
  /** The remedy's command reached a final status. */
  REMEDY_RESULT,
  /** The command service refused the remedy (e.g. too many commands open): the next is tried. */
  REMEDY_NOT_SENT,
  /** The fault came back while a successful remedy was being verified. */
  FIX_FAILED,
  TICKET_REQUESTED,
  /** A playbook step's precondition did not hold: the step was not sent, the next one is tried. */
  STEP_SKIPPED,
  /** A playbook step's expected outcome held on the verification window's telemetry. */
  OUTCOME_CHECKED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
