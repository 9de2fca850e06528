package io.aftercare.platform.healthcheck;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A decided post-fix health check.
 *
 * @param failures what did not hold, one phrase each for people; empty when the check passed
 * @param evidence what each part was checked on, as the ticket's timeline shows it
 */
record HealthVerdict(List<String> failures, ObjectNode evidence) {

  HealthVerdict {
    failures = List.copyOf(failures);
  }

  boolean passed() {
    return failures.isEmpty();
  }
}
