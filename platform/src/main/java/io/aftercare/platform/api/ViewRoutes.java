package io.aftercare.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.views.SavedViews;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /api/v1/views}: each staff member's saved views of the console's lists. A view's query may
 * only hold the filters (and sort) its page's list route declares in the OpenAPI document, so a
 * saved view never turns into a 400 when it is opened.
 */
final class ViewRoutes {

  static final List<String> PAGES = List.of("devices", "alarms", "tickets");

  /** Positions in a list, not part of a view. */
  private static final Set<String> PAGING = Set.of("cursor", "after", "limit");

  private static final int MAX_NAME = 100;

  private final SavedViews views;
  private final Map<String, Set<String>> filtersByPage = new LinkedHashMap<>();

  ViewRoutes(SavedViews views) {
    this.views = views;
  }

  /** Mounts the routes; {@code documented} says which filters each page's list route takes. */
  void mount(Router api, DocumentedRoutes documented) {
    for (String page : PAGES) {
      Set<String> filters = new TreeSet<>(documented.queryParameters("/api/v1/" + page, "GET"));
      filters.removeAll(PAGING);
      filtersByPage.put(page, filters);
    }
    api.get("/views").handler(this::list);
    api.post("/views").handler(this::save);
    api.delete("/views/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    String page = QueryParams.text(ctx, "page");
    if (page != null && !PAGES.contains(page)) {
      throw invalid("query parameter 'page' must be one of " + PAGES);
    }
    views
        .list(StaffAccess.principal(ctx).name(), page)
        .onSuccess(list -> ApiJson.send(ctx, 200, Map.of("views", list)))
        .onFailure(ctx::fail);
  }

  /** {@code POST /views}'s body. */
  record NewView(String name, String page, JsonNode query) {}

  private void save(RoutingContext ctx) {
    NewView view = ApiJson.read(ctx, NewView.class);
    if (view.name() == null || view.name().isBlank() || view.name().length() > MAX_NAME) {
      throw invalid("'name' must be 1 to " + MAX_NAME + " characters");
    }
    if (view.page() == null || !PAGES.contains(view.page())) {
      throw invalid("'page' must be one of " + PAGES);
    }
    Map<String, String> query = query(view.page(), view.query());
    views
        .save(StaffAccess.principal(ctx).name(), view.name().strip(), view.page(), query)
        .onSuccess(
            saved -> {
              ctx.response().putHeader("location", "/api/v1/views/" + saved.id());
              ApiJson.send(ctx, 201, saved);
            })
        .onFailure(ctx::fail);
  }

  private Map<String, String> query(String page, JsonNode query) {
    if (query == null || !query.isObject()) {
      throw invalid("'query' must be an object of query parameters");
    }
    Set<String> known = filtersByPage.get(page);
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : query.properties()) {
      if (!known.contains(entry.getKey())) {
        throw invalid(
            "'query." + entry.getKey() + "' is not a filter of " + page + "; known: " + known);
      }
      if (!entry.getValue().isTextual()) {
        throw invalid("'query." + entry.getKey() + "' must be a string");
      }
      values.put(entry.getKey(), entry.getValue().asText());
    }
    return values;
  }

  private void delete(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new ServiceException(Failure.NOT_FOUND, "no such view");
    }
    views
        .delete(StaffAccess.principal(ctx).name(), id)
        .onSuccess(deleted -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }
}
