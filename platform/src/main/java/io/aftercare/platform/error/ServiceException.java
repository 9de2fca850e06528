package io.aftercare.platform.error;

import java.util.Map;
import java.util.Optional;

/**
 * The one exception type that services fail with. It carries a protocol-neutral {@link Failure} and
 * a message that is safe to show to the caller.
 */
public final class ServiceException extends RuntimeException {

  private final Failure failure;
  private final String problemType;
  private final transient Map<String, String> facts;

  public ServiceException(Failure failure, String message) {
    this(failure, message, (Throwable) null);
  }

  public ServiceException(Failure failure, String message, Throwable cause) {
    // No stack trace for expected failures: they are answers, not bugs, and can be frequent.
    super(message, cause, false, failure == Failure.INTERNAL);
    this.failure = failure;
    this.problemType = null;
    this.facts = Map.of();
  }

  /**
   * A refusal of a kind the caller can act on, named by {@code problemType} (a URI, the problem's
   * {@code type}) and described by {@code facts} (the problem's extension members).
   */
  public ServiceException(
      Failure failure, String message, String problemType, Map<String, String> facts) {
    super(message, null, false, false);
    this.failure = failure;
    this.problemType = problemType;
    this.facts = Map.copyOf(facts);
  }

  public Failure failure() {
    return failure;
  }

  /** The problem's {@code type}: empty for the generic one of its status. */
  public Optional<String> problemType() {
    return Optional.ofNullable(problemType);
  }

  /** Facts about the refusal beyond its message (none for most). */
  public Map<String, String> facts() {
    return facts;
  }

  /** Wraps anything that is not already a {@code ServiceException} as an internal failure. */
  public static ServiceException of(Throwable error) {
    if (error instanceof ServiceException serviceException) {
      return serviceException;
    }
    return new ServiceException(Failure.INTERNAL, "internal error", error);
  }
}
