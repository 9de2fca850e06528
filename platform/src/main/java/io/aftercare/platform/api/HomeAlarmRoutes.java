package io.aftercare.platform.api;

import io.aftercare.platform.alarms.Alarms;
import io.aftercare.platform.alarms.HomeAlarmView;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /home-alarms}: power or internet outages at home, each with the device alarms it
 * explains, for every role (docs/diagnostics.md, Root cause across devices: homes).
 */
final class HomeAlarmRoutes {

  private static final Set<String> STATUSES = Set.of("active", "cleared");

  private final Alarms alarms;

  HomeAlarmRoutes(Alarms alarms) {
    this.alarms = alarms;
  }

  void mount(Router api) {
    api.get("/home-alarms").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    String status = QueryParams.text(ctx, "status");
    if (status != null && !STATUSES.contains(status)) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "query parameter 'status' must be one of " + STATUSES);
    }
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    alarms
        .homeAlarms(status, limit)
        .onSuccess(homes -> ApiJson.send(ctx, 200, new Body(homes)))
        .onFailure(ctx::fail);
  }

  record Body(List<HomeAlarmView> homeAlarms) {}
}
