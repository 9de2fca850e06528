package io.aftercare.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.domain.Identifiers;
import io.aftercare.platform.alarms.AlarmView;
import io.aftercare.platform.alarms.Alarms;
import io.aftercare.platform.device.ConnectivityChange;
import io.aftercare.platform.device.DeviceEdit;
import io.aftercare.platform.device.DeviceListQuery;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.device.DeviceView;
import io.aftercare.platform.device.FleetHealth;
import io.aftercare.platform.device.NewDevice;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.sessions.HealthScore;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.telemetry.TelemetryReader;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/devices}: provisioning, administration (attributes, service state, token), device
 * state, telemetry and events.
 */
final class DeviceRoutes {

  private static final int MAX_POINTS = 10_000;

  private final DeviceRegistry registry;
  private final TelemetryReader telemetry;
  private final Alarms alarms;
  private final StaffAccess access;

  DeviceRoutes(
      DeviceRegistry registry, TelemetryReader telemetry, Alarms alarms, StaffAccess access) {
    this.registry = registry;
    this.telemetry = telemetry;
    this.alarms = alarms;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/devices").handler(this::provision);
    api.get("/devices").handler(this::list);
    api.get("/devices/:id").handler(this::get);
    api.patch("/devices/:id").handler(this::edit);
    api.post("/devices/:id/token").handler(this::rotateToken);
    api.get("/devices/:id/telemetry").handler(this::telemetry);
    api.get("/devices/:id/events").handler(this::events);
    api.get("/devices/:id/connectivity").handler(this::connectivity);
  }

  private void provision(RoutingContext ctx) {
    var by = access.require(ctx, Role.ADMIN, "device.provision", "devices");
    NewDevice device = ApiJson.read(ctx, NewDevice.class);
    registry
        .provision(device, by, StaffAccess.remoteAddress(ctx))
        .onSuccess(
            provisioned -> {
              ctx.response().putHeader("location", "/api/v1/devices/" + provisioned.id());
              ApiJson.send(ctx, 201, provisioned);
            })
        .onFailure(ctx::fail);
  }

  /**
   * The fleet list: filters, a sort and cursor paging ({@code after}, the last id seen, still works
   * for the id order).
   */
  private void list(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    DeviceListQuery.Sort sort = sort(ctx);
    Cursor.Position from = Cursor.decode(ctx, sort.parameter());
    String after = QueryParams.text(ctx, "after");
    if (after != null) {
      if (from != null || sort != DeviceListQuery.Sort.ID) {
        throw new ServiceException(
            Failure.INVALID_INPUT,
            "query parameter 'after' pages the id order only; use 'cursor' with other sorts");
      }
      from = new Cursor.Position(after, after);
    }
    DeviceListQuery query =
        DeviceFilters.query(
            name -> QueryParams.text(ctx, name),
            name -> "query parameter '" + name + "'",
            sort,
            from == null ? null : from.key(),
            from == null ? null : from.id(),
            limit + 1);
    registry
        .list(query)
        .compose(
            rows -> {
              List<DeviceView> page = rows.size() <= limit ? rows : rows.subList(0, limit);
              DeviceView last = page.isEmpty() ? null : page.get(page.size() - 1);
              String next =
                  rows.size() <= limit
                      ? null
                      : Cursor.encode(sort.parameter(), sortKey(sort, last), last.id());
              return registry
                  .fleetHealth(page.stream().map(DeviceView::id).toList(), query.now())
                  .map(health -> new DevicePage(rows(page, health), next));
            })
        .onSuccess(page -> ApiJson.send(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  private static List<FleetDevice> rows(List<DeviceView> page, Map<String, FleetHealth> health) {
    // A device deleted between the two queries has no health row: shown as unknown (null).
    return page.stream()
        .map(
            device -> {
              FleetHealth h = health.get(device.id());
              return new FleetDevice(
                  device, h == null ? null : h.score(), h == null ? null : h.openAlarms());
            })
        .toList();
  }

  /**
   * Attributes and the service state, for supervisors; decommissioning takes an admin, like
   * provisioning.
   */
  private void edit(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    var by = access.require(ctx, Role.SUPERVISOR, "device.edit", "device/" + id);
    DeviceEdit edit = DeviceEdit.parse(ApiJson.read(ctx, JsonNode.class));
    if (edit.decommissions()) {
      access.require(ctx, Role.ADMIN, "device.edit", "device/" + id);
    }
    existingDevice(ctx)
        .compose(device -> registry.edit(device.id(), edit, by, StaffAccess.remoteAddress(ctx)))
        .onSuccess(device -> ApiJson.send(ctx, 200, device))
        .onFailure(ctx::fail);
  }

  /** A new token, shown this once; the old one stops working. */
  private void rotateToken(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    var by = access.require(ctx, Role.ADMIN, "device.token", "device/" + id);
    existingDevice(ctx)
        .compose(device -> registry.rotateToken(device.id(), by, StaffAccess.remoteAddress(ctx)))
        .onSuccess(rotated -> ApiJson.send(ctx, 200, rotated))
        .onFailure(ctx::fail);
  }

  /** {@code GET /devices}: a page, and the token of the next one unless this is the last. */
  record DevicePage(List<FleetDevice> devices, String nextCursor) {}

  /** A fleet-list row: the device's fields, its health score and its open alarms' count. */
  record FleetDevice(
      @com.fasterxml.jackson.annotation.JsonUnwrapped DeviceView device,
      Integer health,
      Integer openAlarms) {}

  private static DeviceListQuery.Sort sort(RoutingContext ctx) {
    String name = QueryParams.text(ctx, "sort");
    if (name == null) {
      return DeviceListQuery.Sort.ID;
    }
    for (DeviceListQuery.Sort sort : DeviceListQuery.Sort.values()) {
      if (sort.parameter().equals(name)) {
        return sort;
      }
    }
    throw new ServiceException(
        Failure.INVALID_INPUT, "query parameter 'sort' must be one of id, type, model, firmware");
  }

  /** The row's value of the sort key, as the SQL orders it (a missing attribute as ""). */
  private static String sortKey(DeviceListQuery.Sort sort, DeviceView device) {
    String key =
        switch (sort) {
          case ID -> device.id();
          case TYPE -> device.type();
          case MODEL -> device.model();
          case FIRMWARE -> device.firmware();
        };
    return key == null ? "" : key;
  }

  /** The device with its health score (and the reasons behind it) and its open alarms. */
  private void get(RoutingContext ctx) {
    existingDevice(ctx)
        .compose(
            device ->
                alarms
                    .list("open", device.id(), null, null, 1000)
                    .map(
                        open ->
                            new DeviceDetail(
                                device,
                                HealthScore.of(
                                    open, device.online(), device.lastSeenAt(), Instant.now()),
                                open)))
        .onSuccess(detail -> ApiJson.send(ctx, 200, detail))
        .onFailure(ctx::fail);
  }

  /** {@code GET /devices/{id}}: the device's fields, then health and open alarms. */
  record DeviceDetail(
      @com.fasterxml.jackson.annotation.JsonUnwrapped DeviceView device,
      HealthScore.Health health,
      List<AlarmView> openAlarms) {}

  /**
   * Raw points, or per-bucket aggregates with {@code bucket=1m}. Defaults to the last hour; {@code
   * limit} caps the rows (at most 10,000) and {@code truncated} says when it did.
   */
  private void telemetry(RoutingContext ctx) {
    String metric = QueryParams.text(ctx, "metric");
    if (metric != null && !Identifiers.isMetricName(metric)) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "query parameter 'metric' is not a metric name");
    }
    Instant to = QueryParams.instant(ctx, "to", Instant.now().plusSeconds(1));
    Instant from = QueryParams.instant(ctx, "from", to.minus(Duration.ofHours(1)));
    int limit = QueryParams.integer(ctx, "limit", MAX_POINTS, 1, MAX_POINTS);
    Duration bucket = QueryParams.bucket(ctx, "bucket");
    existingDevice(ctx)
        .compose(
            device ->
                bucket == null
                    ? telemetry
                        .points(device.id(), metric, from, to, limit + 1)
                        .map(p -> page("points", p, limit, from, to))
                    : telemetry
                        .buckets(device.id(), metric, from, to, bucket, limit + 1)
                        .map(b -> page("buckets", b, limit, from, to)))
        .onSuccess(body -> ApiJson.send(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  private void events(RoutingContext ctx) {
    Instant to = QueryParams.instant(ctx, "to", Instant.now().plusSeconds(1));
    Instant from = QueryParams.instant(ctx, "from", to.minus(Duration.ofDays(1)));
    int limit = QueryParams.integer(ctx, "limit", 1000, 1, MAX_POINTS);
    existingDevice(ctx)
        .compose(device -> telemetry.events(device.id(), from, to, limit + 1))
        .map(events -> page("events", events, limit, from, to))
        .onSuccess(body -> ApiJson.send(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  /**
   * Online/offline changes for the connectivity timeline: {@code before} is the state the window
   * starts in (the last change before it; absent when there was none), then the changes in it.
   */
  private void connectivity(RoutingContext ctx) {
    Instant to = QueryParams.instant(ctx, "to", Instant.now().plusSeconds(1));
    Instant from = QueryParams.instant(ctx, "from", to.minus(Duration.ofDays(1)));
    int limit = QueryParams.integer(ctx, "limit", 1000, 1, MAX_POINTS);
    existingDevice(ctx)
        .compose(device -> registry.connectivity(device.id(), from, to, limit + 1))
        .map(
            rows -> {
              boolean leading = !rows.isEmpty() && rows.get(0).ts().isBefore(from);
              List<ConnectivityChange> inWindow = leading ? rows.subList(1, rows.size()) : rows;
              Map<String, Object> body =
                  new LinkedHashMap<>(page("changes", inWindow, limit, from, to));
              if (leading) {
                body.put("before", rows.get(0));
              }
              return body;
            })
        .onSuccess(body -> ApiJson.send(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  private static Map<String, Object> page(
      String name, List<?> rows, int limit, Instant from, Instant to) {
    boolean truncated = rows.size() > limit;
    return Map.of(
        "from",
        from,
        "to",
        to,
        "truncated",
        truncated,
        name,
        truncated ? rows.subList(0, limit) : rows);
  }

  private Future<DeviceView> existingDevice(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Identifiers.isDeviceId(id)) {
      return Future.failedFuture(new ServiceException(Failure.NOT_FOUND, "no such device"));
    }
    return registry
        .find(id)
        .compose(
            device ->
                device.isPresent()
                    ? Future.succeededFuture(device.get())
                    : Future.failedFuture(
                        new ServiceException(Failure.NOT_FOUND, "no such device")));
  }
}
