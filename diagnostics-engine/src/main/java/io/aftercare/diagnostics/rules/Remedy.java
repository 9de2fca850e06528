package io.aftercare.diagnostics.rules;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A remote command worth trying before a ticket is opened (remote-fix-first). The engine only
 * carries remedies to the caller; sending them and verifying the effect is the command service's
 * job.
 *
 * @param step what the playbook says about this command (precondition, what to do on failure), or
 *     {@code null} for a rule's plain remedy
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Remedy(String command, Map<String, Object> params, PlaybookStep step) {

  @JsonCreator
  public Remedy {
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  /** A plain remedy of a rule's {@code remedies:} list. */
  public Remedy(String command, Map<String, Object> params) {
    this(command, params, null);
  }

  /** What to do when this remedy fails: a plain remedy list always moves on to the next. */
  public OnFailure onFailure() {
    return step == null ? OnFailure.NEXT : step.onFailure();
  }
}
