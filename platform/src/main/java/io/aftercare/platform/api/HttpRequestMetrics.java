package io.aftercare.platform.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Counts and times the staff API's requests by route template, method and status. The route
 * template ({@code /api/v1/devices/:id}), never the raw path: one series per route, however many
 * devices there are.
 */
final class HttpRequestMetrics {

  static final String PREFIX = "/api/v1";

  /** The label of requests answered before any route matched (authentication, 404). */
  static final String UNMATCHED = "unmatched";

  /**
   * Latency buckets for the histogram: a dozen fixed ones rather than Micrometer's ~70, since there
   * is one histogram per route, method and status.
   */
  private static final Duration[] BUCKETS =
      Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
          .map(Duration::ofMillis)
          .toArray(Duration[]::new);

  private final MeterRegistry meters;

  HttpRequestMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** First handler of the API router: measures the request once its headers are sent. */
  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String method = ctx.request().method().name();
    ctx.addHeadersEndHandler(
        ignored ->
            Timer.builder("aftercare.http.server.requests")
                .description("Staff API requests by route template, method and status")
                .tag("route", template(ctx.currentRoute()))
                .tag("method", method)
                .tag("status", Integer.toString(ctx.response().getStatusCode()))
                .serviceLevelObjectives(BUCKETS)
                .register(meters)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    ctx.next();
  }

  /** The route answering when the headers went out; catch-all handlers have no path. */
  private static String template(Route route) {
    if (route == null || route.getPath() == null) {
      return UNMATCHED;
    }
    return PREFIX + route.getPath();
  }
}
