package io.aftercare.platform.api;

import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns failures into RFC 9457 {@code application/problem+json} answers, in one place. */
final class Problems {

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  static int status(Failure failure) {
    return switch (failure) {
      case INVALID_INPUT -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case OVERLOADED -> 429;
      case STORE_UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
  }

  /** The router's failure handler. */
  static void handle(RoutingContext ctx) {
    Throwable error = ctx.failure();
    if (error == null) {
      int status = ctx.statusCode();
      send(ctx, status, reason(status), null);
      return;
    }
    if (error instanceof HttpException refused && refused.getStatusCode() < 500) {
      // Vert.x's own refusals of what a client sent (an undecodable query, a body too large).
      send(ctx, refused.getStatusCode(), reason(refused.getStatusCode()), refused.getPayload());
      return;
    }
    ServiceException failure = ServiceException.of(error);
    if (failure.failure() == Failure.INTERNAL) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), error);
    }
    JsonObject extensions = new JsonObject();
    failure.facts().forEach(extensions::put);
    failure.problemType().ifPresent(type -> extensions.put("type", type));
    send(
        ctx, status(failure.failure()), title(failure.failure()), failure.getMessage(), extensions);
  }

  static void send(RoutingContext ctx, int status, String title, String detail) {
    send(ctx, status, title, detail, new JsonObject());
  }

  /**
   * A problem with extension members besides the standard ones (RFC 9457, section 3.2); a {@code
   * type} among them names the problem instead of {@code about:blank}.
   */
  static void send(
      RoutingContext ctx, int status, String title, String detail, JsonObject extensions) {
    if (ctx.response().ended()) {
      return;
    }
    JsonObject problem =
        extensions
            .copy()
            .put("type", extensions.getString("type", "about:blank"))
            .put("title", title)
            .put("status", status)
            .put("instance", ctx.request().path());
    if (detail != null) {
      problem.put("detail", detail);
    }
    if (status == 401) {
      ctx.response().putHeader("www-authenticate", "Bearer");
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/problem+json")
        .end(problem.toBuffer());
  }

  /**
   * The HTTP server's handler of requests that are not valid HTTP/1.x (a path with {@code %zz}, a
   * request line or headers too long): answered as a problem, like every refusal, before the
   * connection is closed. There is no instance: the request's target is what could not be read.
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String detail;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      detail = "the request line is too long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      detail = "the request's headers are too large";
    } else {
      status = 400;
      detail = "the request is not valid HTTP/1.1";
    }
    refuse(request, status, detail);
  }

  /**
   * A problem answered on the bare request, for refusals before routing: without a routing context
   * and without an instance, since the request's target is what is wrong.
   */
  static void refuse(HttpServerRequest request, int status, String detail) {
    JsonObject problem =
        new JsonObject()
            .put("type", "about:blank")
            .put("title", reason(status))
            .put("status", status)
            .put("detail", detail);
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/problem+json")
        .end(problem.toBuffer());
  }

  private static String reason(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase();
  }

  private static String title(Failure failure) {
    return switch (failure) {
      case INVALID_INPUT -> "Bad Request";
      case UNAUTHENTICATED -> "Unauthorized";
      case FORBIDDEN -> "Forbidden";
      case NOT_FOUND -> "Not Found";
      case CONFLICT -> "Conflict";
      case OVERLOADED -> "Too Many Requests";
      case STORE_UNAVAILABLE -> "Service Unavailable";
      case INTERNAL -> "Internal Server Error";
    };
  }
}
