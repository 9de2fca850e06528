package io.aftercare.platform.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A staff-started playbook run as staff watch it.
 *
 * @param steps the playbook's step names, in order, as they were when the run started
 * @param currentStep the name of the step the run is at (or ended at)
 * @param endedAt null while it runs
 * @param events what happened to each step, in order
 */
public record PlaybookRun(
    long id,
    String deviceId,
    String playbook,
    PlaybookRunState state,
    List<String> steps,
    String currentStep,
    String startedBy,
    Instant startedAt,
    Instant endedAt,
    List<Event> events) {

  /**
   * @param outcome sent, succeeded, failed, refused or skipped
   * @param detail the command's status, the refusal's reason, or a skipped step's reason and the
   *     readings it was checked on
   */
  public record Event(
      String step, String command, String commandId, String outcome, Instant at, JsonNode detail) {}
}
