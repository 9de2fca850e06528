package io.aftercare.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.bulk.BulkCommand;
import io.aftercare.platform.bulk.BulkCommands;
import io.aftercare.platform.command.CommandRequest;
import io.aftercare.platform.device.DeviceListQuery;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/bulk-commands}: preview a command to a filtered set of devices, submit it with the
 * count confirmed, follow each device's result. Technicians and up, as for a single command (a
 * high-risk command needs a supervisor, checked once for the batch).
 */
final class BulkCommandRoutes {

  /** The batch list's one order, named in its cursors. */
  private static final String NEWEST_FIRST = "newest";

  private static final Set<String> PREVIEW_FIELDS =
      Set.of("filter", "command", "params", "ttlSeconds");
  private static final Set<String> SUBMIT_FIELDS =
      Set.of("filter", "command", "params", "ttlSeconds", "expectedCount");

  private final BulkCommands bulk;
  private final StaffAccess access;

  BulkCommandRoutes(BulkCommands bulk, StaffAccess access) {
    this.bulk = bulk;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/bulk-commands/preview").handler(this::preview);
    api.post("/bulk-commands").handler(this::submit);
    api.get("/bulk-commands").handler(this::list);
    api.get("/bulk-commands/:id").handler(this::get);
  }

  /** The body of a preview or a submission, read and checked. */
  private record Body(
      DeviceListQuery filter, Map<String, String> given, CommandRequest command, JsonNode raw) {}

  private static Body body(RoutingContext ctx, Set<String> fields) {
    JsonNode raw = ApiJson.read(ctx, JsonNode.class);
    raw.fieldNames()
        .forEachRemaining(
            name -> {
              if (!fields.contains(name)) {
                throw invalid("unknown field '" + name + "'");
              }
            });
    Map<String, String> given = filter(raw.get("filter"));
    DeviceListQuery filter =
        DeviceFilters.query(
            given::get, name -> "'filter." + name + "'", DeviceListQuery.Sort.ID, null, null, 1);
    JsonNode command = raw.get("command");
    if (command == null || !command.isTextual()) {
      throw invalid("'command' must name a command of the catalog");
    }
    JsonNode ttl = raw.get("ttlSeconds");
    if (ttl != null && !ttl.isNull() && !ttl.canConvertToLong()) {
      throw invalid("'ttlSeconds' must be an integer");
    }
    return new Body(
        filter,
        given,
        new CommandRequest(
            command.asText(), raw.get("params"), ttl == null || ttl.isNull() ? null : ttl.asLong()),
        raw);
  }

  /** The filter object as text values; JSON booleans and numbers are taken as their text. */
  private static Map<String, String> filter(JsonNode filter) {
    if (filter == null || !filter.isObject()) {
      throw invalid("'filter' must be an object of " + DeviceFilters.NAMES + " (GET /devices)");
    }
    Map<String, String> given = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : filter.properties()) {
      String name = entry.getKey();
      JsonNode value = entry.getValue();
      if (!DeviceFilters.NAMES.contains(name)) {
        throw invalid("unknown filter 'filter." + name + "'; known: " + DeviceFilters.NAMES);
      }
      if (value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
        continue;
      }
      if (!value.isValueNode()) {
        throw invalid("'filter." + name + "' must be a string, number or boolean");
      }
      given.put(name, value.asText());
    }
    return given;
  }

  private void preview(RoutingContext ctx) {
    var by = access.require(ctx, Role.TECHNICIAN, "bulk_command.preview", "bulk-commands");
    Body body = body(ctx, PREVIEW_FIELDS);
    bulk.preview(body.filter(), body.command(), by, StaffAccess.remoteAddress(ctx))
        .onSuccess(preview -> ApiJson.send(ctx, 200, preview))
        .onFailure(ctx::fail);
  }

  /** 202 once stored; 409 with the current count when it is not the confirmed one; 429 busy. */
  private void submit(RoutingContext ctx) {
    var by = access.require(ctx, Role.TECHNICIAN, "bulk_command.submit", "bulk-commands");
    Body body = body(ctx, SUBMIT_FIELDS);
    JsonNode expected = body.raw().get("expectedCount");
    if (expected == null || !expected.canConvertToInt() || expected.asInt() < 0) {
      throw invalid("'expectedCount' must be the count the preview showed");
    }
    bulk.submit(
            body.filter(),
            body.given(),
            body.command(),
            expected.asInt(),
            by,
            StaffAccess.remoteAddress(ctx))
        .onSuccess(submission -> answer(ctx, submission))
        .onFailure(ctx::fail);
  }

  private static void answer(RoutingContext ctx, BulkCommands.Submission submission) {
    if (submission instanceof BulkCommands.Submission.Accepted accepted) {
      BulkCommand batch = accepted.batch();
      ctx.response().putHeader("location", "/api/v1/bulk-commands/" + batch.id());
      ApiJson.send(
          ctx, 202, Map.of("id", batch.id(), "status", batch.status(), "total", batch.total()));
    } else if (submission instanceof BulkCommands.Submission.CountChanged changed) {
      Problems.send(
          ctx,
          409,
          "Conflict",
          "the filter now matches " + changed.count() + " devices; preview again",
          new JsonObject().put("count", changed.count()));
    } else if (submission instanceof BulkCommands.Submission.Busy busy) {
      ctx.response().putHeader("retry-after", Long.toString(busy.retryAfterSeconds()));
      Problems.send(
          ctx,
          429,
          "Too Many Requests",
          "you already have a bulk command dispatching; retry when it is done");
    }
  }

  private void list(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    Cursor.Position from = Cursor.decode(ctx, NEWEST_FIRST);
    bulk.list(from == null ? null : Cursor.numericId(from), limit + 1)
        .map(
            rows -> {
              List<BulkCommand> batches =
                  rows.stream().limit(limit).map(BulkCommands.Listed::batch).toList();
              if (rows.size() <= limit) {
                return new BulkCommandPage(batches, null);
              }
              String last = Long.toString(rows.get(limit - 1).seq());
              return new BulkCommandPage(batches, Cursor.encode(NEWEST_FIRST, last, last));
            })
        .onSuccess(page -> ApiJson.send(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  /** {@code GET /bulk-commands}: a page, and the next one's token unless the last. */
  record BulkCommandPage(List<BulkCommand> bulkCommands, String nextCursor) {}

  private void get(RoutingContext ctx) {
    bulk.find(ctx.pathParam("id"))
        .compose(
            found ->
                found.isPresent()
                    ? Future.succeededFuture(found.get())
                    : Future.failedFuture(
                        new ServiceException(Failure.NOT_FOUND, "no such bulk command")))
        .onSuccess(batch -> ApiJson.send(ctx, 200, batch))
        .onFailure(ctx::fail);
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }
}
