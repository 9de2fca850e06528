package io.aftercare.platform.api;

import io.aftercare.platform.consent.SupportSessions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code GET /devices/{id}/support-sessions}: the owner's support sessions covering the device now,
 * so that staff see what they may send before they try (docs/privacy.md, "Support sessions").
 */
final class SupportSessionRoutes {

  private final SupportSessions sessions;

  SupportSessionRoutes(SupportSessions sessions) {
    this.sessions = sessions;
  }

  void mount(Router api) {
    api.get("/devices/:id/support-sessions").handler(this::active);
  }

  private void active(RoutingContext ctx) {
    String deviceId = ctx.pathParam("id");
    sessions
        .activeFor(deviceId)
        .onSuccess(
            active -> ApiJson.send(ctx, 200, Map.of("deviceId", deviceId, "sessions", active)))
        .onFailure(ctx::fail);
  }
}
