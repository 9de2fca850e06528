package io.aftercare.platform.api;

import io.aftercare.platform.alarms.AlarmListQuery;
import io.aftercare.platform.alarms.AlarmView;
import io.aftercare.platform.alarms.Alarms;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** {@code /api/v1/alarms}: list, read, acknowledge (supervisor and admin). */
final class AlarmRoutes {

  private static final Set<String> STATUSES = Set.of("open", "active", "acknowledged", "cleared");
  private static final Set<String> SEVERITIES = Set.of("warning", "minor", "major", "critical");
  private static final Set<String> REMEDIATION_STATES =
      Set.of("none", "trying", "verifying", "fixed", "exhausted");

  /** The alarm list's one order, named in its cursors. */
  private static final String NEWEST_FIRST = "newest";

  private final Alarms alarms;
  private final StaffAccess access;

  AlarmRoutes(Alarms alarms, StaffAccess access) {
    this.alarms = alarms;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/alarms").handler(this::list);
    api.get("/alarms/:alarmId").handler(this::get);
    api.post("/alarms/:alarmId/ack").handler(this::acknowledge);
  }

  /** The alarm queue, newest first, filtered, paged by cursor. */
  private void list(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    Cursor.Position from = Cursor.decode(ctx, NEWEST_FIRST);
    AlarmListQuery query =
        new AlarmListQuery(
            oneOf(ctx, "status", STATUSES),
            QueryParams.text(ctx, "deviceId"),
            oneOf(ctx, "severity", SEVERITIES),
            QueryParams.text(ctx, "ruleId"),
            QueryParams.text(ctx, "category"),
            oneOf(ctx, "remediationState", REMEDIATION_STATES),
            from == null ? null : Cursor.numericId(from),
            limit + 1);
    alarms
        .list(query)
        .map(
            rows -> {
              if (rows.size() <= limit) {
                return new AlarmPage(rows, null);
              }
              String last = Long.toString(rows.get(limit - 1).id());
              return new AlarmPage(rows.subList(0, limit), Cursor.encode(NEWEST_FIRST, last, last));
            })
        .onSuccess(page -> ApiJson.send(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  /** {@code GET /alarms}: a page, and the token of the next one unless this is the last. */
  record AlarmPage(List<AlarmView> alarms, String nextCursor) {}

  private void get(RoutingContext ctx) {
    alarms
        .find(alarmId(ctx))
        .compose(
            alarm ->
                alarm.isPresent()
                    ? Future.succeededFuture(alarm.get())
                    : Future.failedFuture(new ServiceException(Failure.NOT_FOUND, "no such alarm")))
        .onSuccess(alarm -> ApiJson.send(ctx, 200, alarm))
        .onFailure(ctx::fail);
  }

  private void acknowledge(RoutingContext ctx) {
    long id = alarmId(ctx);
    var by = access.require(ctx, Role.SUPERVISOR, "alarm.acknowledge", "alarm/" + id);
    alarms
        .acknowledge(id, by, StaffAccess.remoteAddress(ctx))
        .onSuccess(alarm -> ApiJson.send(ctx, 200, alarm))
        .onFailure(ctx::fail);
  }

  private static long alarmId(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("alarmId"));
    } catch (NumberFormatException e) {
      throw new ServiceException(Failure.NOT_FOUND, "no such alarm");
    }
  }

  private static String oneOf(RoutingContext ctx, String name, Set<String> allowed) {
    String value = QueryParams.text(ctx, name);
    if (value != null && !allowed.contains(value)) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "query parameter '" + name + "' must be one of " + allowed);
    }
    return value;
  }
}
