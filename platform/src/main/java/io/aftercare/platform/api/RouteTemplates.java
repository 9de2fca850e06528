package io.aftercare.platform.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Optional;

/**
 * Finds the route template a request path belongs to, in the router's order as Vert.x matches. The
 * request metrics need it for answers the router's failure handler sends (a 400 or 409 from {@code
 * ctx.fail}): by then Vert.x has moved on from the route that failed.
 */
final class RouteTemplates {

  private record Template(List<HttpMethod> methods, String path, String[] segments) {

    boolean matches(HttpMethod method, String[] request) {
      if (!methods.isEmpty() && !methods.contains(method)) {
        return false;
      }
      if (request.length != segments.length) {
        return false;
      }
      for (int i = 0; i < segments.length; i++) {
        boolean parameter = segments[i].startsWith(":") && !request[i].isEmpty();
        if (!parameter && !segments[i].equals(request[i])) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Template> templates;

  /** The templates of {@code router}'s routes with an exact path (catch-all handlers have none). */
  RouteTemplates(Router router) {
    this.templates =
        router.getRoutes().stream()
            .filter(route -> route.getPath() != null && !route.getPath().endsWith("*"))
            .map(RouteTemplates::template)
            .toList();
  }

  private static Template template(Route route) {
    return new Template(
        List.copyOf(route.methods() == null ? List.of() : route.methods()),
        route.getPath(),
        route.getPath().split("/", -1));
  }

  /** The template of the first route taking {@code method} on {@code path}, if any. */
  Optional<String> find(HttpMethod method, String path) {
    String[] request = path.split("/", -1);
    return templates.stream()
        .filter(template -> template.matches(method, request))
        .map(Template::path)
        .findFirst();
  }
}
