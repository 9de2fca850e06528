package io.aftercare.diagnostics.condition;

/** A condition in a rule file that CEL refuses; the message explains why, without the location. */
public final class InvalidConditionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidConditionException(String message) {
    super(message);
  }
}
