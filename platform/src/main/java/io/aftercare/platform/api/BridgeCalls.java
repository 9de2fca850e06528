package io.aftercare.platform.api;

import io.aftercare.bridge.BridgeException;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.worker.WorkerCalls;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
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
