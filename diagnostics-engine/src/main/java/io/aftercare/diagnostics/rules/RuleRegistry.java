package io.aftercare.diagnostics.rules;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Holds the rule set in force and replaces it on {@link #reload()} only when every file is valid: a
 * broken edit in the operator folder is reported and the last good set stays active, so a typo
 * never takes detection down. Thread-safe: reloads may come from any thread, and engines read
 * {@link #get()} on every call.
 */
public final class RuleRegistry implements Supplier<RuleSet> {
  private final RuleLoader loader;
  private final Path operatorFolder;
  private volatile RuleSet current;

  private RuleRegistry(RuleLoader loader, Path operatorFolder, RuleSet initial) {
    this.loader = loader;
    this.operatorFolder = operatorFolder;
    this.current = initial;
  }

  /**
   * Loads the first rule set. Unlike a reload this fails: at start-up there is no good set to fall
   * back on, and running with silently fewer rules than the operator wrote would hide faults.
   *
   * @param operatorFolder the AFTERCARE_RULES folder, or {@code null} for the default pack alone
   */
  public static RuleRegistry start(RuleLoader loader, Path operatorFolder)
      throws RuleValidationException {
    return new RuleRegistry(loader, operatorFolder, loader.load(operatorFolder));
  }

  /** What a reload did: whether the new files were applied, and the problems if not. */
  public record ReloadOutcome(boolean applied, RuleSet active, List<String> errors) {}

  public synchronized ReloadOutcome reload() {
    try {
      current = loader.load(operatorFolder);
      return new ReloadOutcome(true, current, List.of());
    } catch (RuleValidationException e) {
      return new ReloadOutcome(false, current, e.errors());
    }
  }

  @Override
  public RuleSet get() {
    return current;
  }
}
