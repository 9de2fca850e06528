package io.aftercare.platform.api;

import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.notify.Notifications;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;

/** {@code /api/v1/notifications}: the recent notifications and their status, for any staff. */
final class NotificationRoutes {

  private static final Set<String> STATUSES =
      Set.of("pending", "sent", "deduplicated", "digested", "failed");

  private final Notifications notifications;

  NotificationRoutes(Notifications notifications) {
    this.notifications = notifications;
  }

  void mount(Router api) {
    api.get("/notifications").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    String status = QueryParams.text(ctx, "status");
    if (status != null && !STATUSES.contains(status)) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "query parameter 'status' must be one of " + STATUSES);
    }
    notifications
        .recent(status, QueryParams.integer(ctx, "limit", 100, 1, 1000))
        .onSuccess(list -> ApiJson.send(ctx, 200, Map.of("notifications", list)))
        .onFailure(ctx::fail);
  }
}
