package io.aftercare.platform.api;

import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.logs.LogBundle;
import io.aftercare.platform.logs.LogBundles;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Devices' log bundles (docs/privacy.md, "Log bundles"): {@code GET /devices/{id}/log-bundles} and
 * {@code GET /log-bundles/{bundleId}} give technicians the redacted log; {@code POST
 * /log-bundles/{bundleId}/original} gives a supervisor the original for a stated reason. Every read
 * of a log is audited; answers are never cached.
 */
final class LogBundleRoutes {

  private final LogBundles bundles;
  private final StaffAccess access;

  LogBundleRoutes(LogBundles bundles, StaffAccess access) {
    this.bundles = bundles;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/devices/:id/log-bundles").handler(this::list);
    api.get("/log-bundles/:bundleId").handler(this::redacted);
    api.post("/log-bundles/:bundleId/original").handler(this::original);
  }

  /**
   * @param reason why the original is needed, for the audit log (at most 500 characters)
   */
  record OriginalBody(String reason) {}

  private void list(RoutingContext ctx) {
    String deviceId = ctx.pathParam("id");
    access.require(ctx, Role.TECHNICIAN, "log_bundle.list", "device/" + deviceId);
    int limit = QueryParams.integer(ctx, "limit", 20, 1, 100);
    bundles
        .list(deviceId, limit)
        .onSuccess(list -> ApiJson.send(ctx, 200, Map.of("deviceId", deviceId, "bundles", list)))
        .onFailure(ctx::fail);
  }

  private void redacted(RoutingContext ctx) {
    long id = bundleId(ctx);
    String target = "log-bundle/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "log_bundle.read", target);
    send(ctx, bundles.redacted(id, StaffAccess.allowed(ctx, by, "log_bundle.read", target)));
  }

  private void original(RoutingContext ctx) {
    long id = bundleId(ctx);
    String target = "log-bundle/" + id;
    StaffPrincipal by = access.require(ctx, Role.SUPERVISOR, "log_bundle.read_original", target);
    OriginalBody body = ApiJson.read(ctx, OriginalBody.class);
    send(
        ctx,
        bundles.original(
            id, body.reason(), StaffAccess.allowed(ctx, by, "log_bundle.read_original", target)));
  }

  private static void send(RoutingContext ctx, Future<LogBundle> bundle) {
    bundle
        .onSuccess(
            found -> {
              // Personal data, even redacted: no browser or proxy keeps a copy.
              ctx.response().putHeader("cache-control", "no-store");
              ApiJson.send(ctx, 200, found);
            })
        .onFailure(ctx::fail);
  }

  private static long bundleId(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("bundleId"));
    } catch (NumberFormatException e) {
      throw new ServiceException(Failure.NOT_FOUND, "no such log bundle");
    }
  }
}
