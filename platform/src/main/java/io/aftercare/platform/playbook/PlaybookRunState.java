package io.aftercare.platform.playbook;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a staff-started playbook run stands; {@code playbook_runs.state}'s CHECK lists the same.
 */
public enum PlaybookRunState {
  /** A step's command is out, or about to be sent. */
  RUNNING,
  /** A step's command succeeded: the run ends there. */
  SUCCEEDED,
  /** No step left, or a failed step whose {@code on_failure} is {@code ticket}. */
  FAILED,
  /** A failed step whose {@code on_failure} is {@code stop}. */
  STOPPED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PlaybookRunState fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
