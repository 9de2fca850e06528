package io.aftercare.platform.error;

/**
 * The one exception type that services fail with. It carries a protocol-neutral {@link Failure} and
 * a message that is safe to show to the caller.
 */
public final class ServiceException extends RuntimeException {

  private final Failure failure;

  public ServiceException(Failure failure, String message) {
    this(failure, message, null);
  }

  public ServiceException(Failure failure, String message, Throwable cause) {
    // No stack trace for expected failures: they are answers, not bugs, and can be frequent.
    super(message, cause, false, failure == Failure.INTERNAL);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }

  /** Wraps anything that is not already a {@code ServiceException} as an internal failure. */
  public static ServiceException of(Throwable error) {
    if (error instanceof ServiceException serviceException) {
      return serviceException;
    }
    return new ServiceException(Failure.INTERNAL, "internal error", error);
  }
}
