package io.aftercare.diagnostics.rules;

import java.util.Optional;

/**
 * Says whether a remedy can be sent at all: the engine knows nothing of devices' commands, the
 * platform does (its command catalog), so it is asked when rule files are loaded and a rule set
 * naming an unknown command or bad parameters is refused like any other invalid file.
 */
@FunctionalInterface
public interface RemedyCheck {

  /** Accepts every remedy; for tests of the engine alone. */
  RemedyCheck ANY = remedy -> Optional.empty();

  /** Why the remedy cannot be sent, or empty if it can. */
  Optional<String> problem(Remedy remedy);
}
