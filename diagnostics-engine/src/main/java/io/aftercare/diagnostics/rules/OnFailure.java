package io.aftercare.diagnostics.rules;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a playbook does when a step's command fails or its fix does not hold. */
public enum OnFailure {
  /** Try the next step; after the last one the run has failed (a ticket if the rule opens them). */
  NEXT,
  /** End the run here without a ticket: the alarm stays open for staff to look at. */
  STOP,
  /** End the run here and open a ticket, whatever the rule says about tickets. */
  TICKET;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
