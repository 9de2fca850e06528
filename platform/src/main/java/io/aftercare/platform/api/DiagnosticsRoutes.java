package io.aftercare.platform.api;

import io.aftercare.diagnostics.rules.Rule;
import io.aftercare.platform.alarms.DiagnosticsService;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * On-demand diagnostics ({@code POST /devices/{id}/diagnostics}, {@code GET /diagnostics/{id}}) and
 * the rules in force ({@code GET /rules}, {@code POST /rules/reload}).
 */
final class DiagnosticsRoutes {

  private final DiagnosticsService diagnostics;
  private final StaffAccess access;

  DiagnosticsRoutes(DiagnosticsService diagnostics, StaffAccess access) {
    this.diagnostics = diagnostics;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/devices/:id/diagnostics").handler(this::start);
    api.get("/diagnostics/:diagnosticId").handler(this::get);
    api.get("/rules").handler(this::rules);
    api.post("/rules/reload").handler(this::reload);
  }

  private void start(RoutingContext ctx) {
    String deviceId = ctx.pathParam("id");
    var by = access.require(ctx, Role.TECHNICIAN, "diagnostics.start", "device/" + deviceId);
    diagnostics
        .sessions()
        .start(deviceId, by, StaffAccess.remoteAddress(ctx))
        .onSuccess(
            id -> {
              ctx.response().putHeader("location", "/api/v1/diagnostics/" + id);
              ApiJson.send(ctx, 202, Map.of("diagnosticId", id, "status", "running"));
            })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    diagnostics
        .sessions()
        .find(ctx.pathParam("diagnosticId"))
        .compose(
            session ->
                session.isPresent()
                    ? Future.succeededFuture(session.get())
                    : Future.failedFuture(
                        new ServiceException(Failure.NOT_FOUND, "no such diagnostic session")))
        .onSuccess(session -> ApiJson.send(ctx, 200, session))
        .onFailure(ctx::fail);
  }

  private void rules(RoutingContext ctx) {
    List<Map<String, Object>> rules =
        diagnostics.activeRules().stream().map(DiagnosticsRoutes::summary).toList();
    ApiJson.send(ctx, 200, Map.of("rules", rules));
  }

  private static Map<String, Object> summary(Rule rule) {
    return Map.of(
        "id", rule.id(),
        "kind", rule.kind().name().toLowerCase(Locale.ROOT),
        "description", rule.description() == null ? "" : rule.description(),
        "category", rule.category().name().toLowerCase(Locale.ROOT),
        "deviceTypes", rule.deviceTypes(),
        "remedies", rule.remedies().stream().map(r -> r.command()).toList(),
        "openTicket", rule.openTicket(),
        "source", rule.sourceFile());
  }

  /** 200 when the new rules are in force; 422 listing every problem when they are refused. */
  private void reload(RoutingContext ctx) {
    var by = access.require(ctx, Role.ADMIN, "rules.reload", "rules");
    diagnostics
        .reload(by, StaffAccess.remoteAddress(ctx))
        .onSuccess(
            result -> {
              if (result.applied()) {
                ApiJson.send(
                    ctx, 200, Map.of("applied", true, "activeRules", result.activeRules()));
              } else {
                ctx.response()
                    .setStatusCode(422)
                    .putHeader("content-type", "application/problem+json")
                    .end(
                        new JsonObject()
                            .put("type", "about:blank")
                            .put("title", "Unprocessable Content")
                            .put("status", 422)
                            .put("detail", "rule files refused; the previous rules stay in force")
                            .put("errors", result.errors())
                            .put("activeRules", result.activeRules())
                            .toBuffer());
              }
            })
        .onFailure(ctx::fail);
  }
}
