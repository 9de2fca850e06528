package io.aftercare.bridge;

/** A refusal the caller can act on; the platform maps {@link Kind} to an HTTP status once. */
public final class BridgeException extends RuntimeException {

  /** Why the bridge refused. */
  public enum Kind {
    INVALID,
    UNAUTHENTICATED,
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;

  public BridgeException(Kind kind, String message) {
    // Expected answers, not bugs: no stack trace.
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
