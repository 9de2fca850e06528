package io.aftercare.diagnostics.condition;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;

/**
 * A type-checked boolean CEL expression from a rule file, ready to evaluate.
 *
 * <p>A condition that cannot be evaluated for the data at hand (typically {@code metrics.x} for a
 * metric the device has not reported) is false: a rule must never fire on missing data.
 */
public final class Condition {
  private final String source;
  private final CelRuntime.Program program;

  Condition(String source, CelRuntime.Program program) {
    this.source = source;
    this.program = program;
  }

  public boolean test(CelVariableResolver variables) {
    try {
      return Boolean.TRUE.equals(program.eval(variables));
    } catch (CelEvaluationException e) {
      return false;
    }
  }

  public String source() {
    return source;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Condition that && source.equals(that.source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
