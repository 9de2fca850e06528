package io.aftercare.platform.api;

import io.aftercare.bridge.BridgeException;
import io.aftercare.bridge.InTransaction;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.worker.WorkerCalls;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Calls the ticket bridge's blocking services on a worker thread and maps its refusals to the API's
 * failures, once for all ticket and bridge routes.
 */
final class BridgeCalls {

  private final WorkerCalls workers;

  BridgeCalls(WorkerCalls workers) {
    this.workers = workers;
  }

  <T> Future<T> call(Callable<T> work) {
    return workers.run(work).recover(error -> Future.failedFuture(translate(error)));
  }

  /**
   * Runs the call and answers with its result as JSON under {@code status}, or with its problem.
   */
  <T> void answer(RoutingContext ctx, int status, Callable<T> work) {
    call(work).onSuccess(result -> ApiJson.send(ctx, status, result)).onFailure(ctx::fail);
  }

  /**
   * {@link #answer} for an audited staff action: the bridge appends {@code entry} to the audit log
   * in the action's own transaction, so that the action and its entry commit together.
   */
  <T> void answerAudited(RoutingContext ctx, int status, AuditEntry entry, Audited<T> action) {
    answer(ctx, status, () -> action.run(c -> AuditLog.append(c, entry)));
  }

  /** Answers 200 with the record found, or 404 with {@code missing}. */
  <T> void answerFound(RoutingContext ctx, Callable<Optional<T>> find, String missing) {
    call(find)
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                ctx.fail(new ServiceException(Failure.NOT_FOUND, missing));
              } else {
                ApiJson.send(ctx, 200, found.get());
              }
            })
        .onFailure(ctx::fail);
  }

  /** A bridge action that commits {@code alsoCommit} in its own transaction. */
  @FunctionalInterface
  interface Audited<T> {
    T run(InTransaction alsoCommit) throws Exception;
  }

  static ServiceException translate(Throwable error) {
    if (error instanceof BridgeException refusal) {
      Failure failure =
          switch (refusal.kind()) {
            case INVALID -> Failure.INVALID_INPUT;
            case UNAUTHENTICATED -> Failure.UNAUTHENTICATED;
            case NOT_FOUND -> Failure.NOT_FOUND;
            case CONFLICT -> Failure.CONFLICT;
          };
      return new ServiceException(failure, refusal.getMessage());
    }
    return ServiceException.of(error);
  }

  static long id(RoutingContext ctx, String name) {
    try {
      return Long.parseLong(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw new ServiceException(Failure.NOT_FOUND, "no such " + name);
    }
  }

  /**
   * Runs a bridge-side check of a request (cheap, no I/O) on the calling thread, mapping its
   * refusal to the API's failure.
   */
  static <T> T checked(Supplier<T> check) {
    try {
      return check.get();
    } catch (BridgeException e) {
      throw translate(e);
    }
  }
}
