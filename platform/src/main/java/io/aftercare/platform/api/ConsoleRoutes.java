package io.aftercare.platform.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The support console: its static files at {@code /} from the classpath folder {@code console/},
 * and uPlot from its WebJar at {@code /vendor/uplot/}. Mounted after the API, so nothing here is
 * under {@code /api/v1}; the routes carry no method, since the static handler serves GET and HEAD
 * only and passes anything else on to the 404 answer.
 */
final class ConsoleRoutes {

  /** The WebJar's folder; the version is the parent pom's {@code uplot.version}. */
  static final String UPLOT_ROOT = "META-INF/resources/webjars/uplot/1.6.30/dist";

  /**
   * Only the console's own origin: no inline script or style, no other host (it works offline), no
   * framing (clickjacking); the live stream and the API are same-origin fetches.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  /** Mounts on the root router, after the API and before the final 404. */
  void mount(Router root) {
    // The WebJar is versioned: a day's caching is safe; the console's own files revalidate on
    // every load (Last-Modified) so a new release is picked up at once.
    root.route("/vendor/uplot/*")
        .handler(ConsoleRoutes::securityHeaders)
        .handler(StaticHandler.create(UPLOT_ROOT).setMaxAgeSeconds(86_400));
    root.route("/*")
        .handler(ConsoleRoutes::securityHeaders)
        .handler(ConsoleRoutes::revalidate)
        .handler(StaticHandler.create("console").setIndexPage("index.html"));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  private static void revalidate(RoutingContext ctx) {
    ctx.addHeadersEndHandler(
        ignored -> ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache"));
    ctx.next();
  }
}
