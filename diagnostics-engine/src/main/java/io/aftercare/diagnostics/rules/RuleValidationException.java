package io.aftercare.diagnostics.rules;

import java.util.List;

/**
 * Rule files that cannot be loaded. {@link #errors()} holds one line per problem in the form {@code
 * "file: rule 'x': field 'y': message"}, all of them, not only the first.
 */
public final class RuleValidationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  public RuleValidationException(List<String> errors) {
    super(errors.size() + " rule error(s):\n  " + String.join("\n  ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
