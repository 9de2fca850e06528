package io.aftercare.platform.api;

import io.aftercare.domain.Identifiers;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.live.LiveHub;
import io.aftercare.platform.staff.StaffPrincipal;
import io.aftercare.platform.staff.StaffSessions;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/live}: a Server-Sent Events stream of alarm, ticket and command changes, and
 * with {@code device} that device's telemetry (docs/console.md). Authenticated like every route
 * (the browser's EventSource sends the session cookie); any role may watch, since every event is
 * ids and states that any role may read. A device's telemetry may be sensitive (lock and camera
 * data, presence): opening its stream is logged once by {@link SensitiveReadAudit}.
 */
final class LiveRoutes {

  private final LiveHub hub;
  private final DeviceRegistry registry;

  LiveRoutes(LiveHub hub, DeviceRegistry registry) {
    this.hub = hub;
    this.registry = registry;
  }

  void mount(Router api) {
    api.get("/live").handler(this::open);
  }

  private void open(RoutingContext ctx) {
    String deviceId = QueryParams.text(ctx, "device");
    watchable(deviceId).onSuccess(ok -> stream(ctx, deviceId)).onFailure(ctx::fail);
  }

  private Future<Void> watchable(String deviceId) {
    if (deviceId == null) {
      return Future.succeededFuture();
    }
    if (!Identifiers.isDeviceId(deviceId)) {
      return Future.failedFuture(new ServiceException(Failure.NOT_FOUND, "no such device"));
    }
    return registry
        .find(deviceId)
        .compose(
            device ->
                device.isPresent()
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        new ServiceException(Failure.NOT_FOUND, "no such device")));
  }

  private void stream(RoutingContext ctx, String deviceId) {
    StaffPrincipal staff = StaffAccess.principal(ctx);
    StaffSessions.Session session = StaffAccess.session(ctx).orElse(null);
    hub.open(
        ctx.request(),
        staff.name(),
        session == null ? null : session.id(),
        session == null ? null : session.expiresAt(),
        deviceId);
  }
}
