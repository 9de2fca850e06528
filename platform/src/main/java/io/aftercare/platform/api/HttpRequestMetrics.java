package io.aftercare.platform.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
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

  /** The label of requests no route takes (an unknown path, a method no route answers). */
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
  private RouteTemplates templates;

  HttpRequestMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Called once the API's routes are mounted, before the server takes requests. */
  void routesMounted(Router api) {
    this.templates = new RouteTemplates(api);
  }

  /** First handler of the API router: measures the request once its headers are sent. */
  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpMethod method = ctx.request().method();
    ctx.addHeadersEndHandler(
        ignored ->
            Timer.builder("aftercare.http.server.requests")
                .description("Staff API requests by route template, method and status")
                .tag("route", template(ctx, method))
                .tag("method", method.name())
                .tag("status", Integer.toString(ctx.response().getStatusCode()))
                .serviceLevelObjectives(BUCKETS)
                .register(meters)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    ctx.next();
  }

  /**
   * The route answering when the headers went out; when that is a catch-all (authentication, the
   * failure handler, no route at all), the route the path belongs to, if any.
   */
  private String template(RoutingContext ctx, HttpMethod method) {
    Route route = ctx.currentRoute();
    if (route != null && route.getPath() != null) {
      return PREFIX + route.getPath();
    }
    String path = ctx.normalizedPath();
    if (templates == null || !path.startsWith(PREFIX)) {
      return UNMATCHED;
    }
    return templates
        .find(method, path.substring(PREFIX.length()))
        .map(template -> PREFIX + template)
        .orElse(UNMATCHED);
  }
}
