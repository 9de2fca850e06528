package io.aftercare.platform.api;

import io.aftercare.platform.command.Command;
import io.aftercare.platform.command.CommandHistoryQuery;
import io.aftercare.platform.command.CommandRequest;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.command.CommandTransition;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * Remote-assist commands: {@code POST /devices/{id}/commands}, {@code GET /devices/{id}/commands},
 * {@code GET /commands/{commandId}}.
 */
final class CommandRoutes {

  /** The command list's one order, named in its cursors. */
  private static final String NEWEST_FIRST = "newest";

  private static final int MAX_IDEMPOTENCY_KEY = 128;

  private final CommandService commands;
  private final StaffAccess access;

  CommandRoutes(CommandService commands, StaffAccess access) {
    this.commands = commands;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/devices/:id/commands").handler(this::submit);
    api.get("/devices/:id/commands").handler(this::history);
    api.get("/commands/:commandId").handler(this::get);
  }

  /** 202: the command is accepted for delivery; its outcome is read with GET /commands/{id}. */
  private void submit(RoutingContext ctx) {
    String deviceId = ctx.pathParam("id");
    var by = access.require(ctx, Role.TECHNICIAN, "command.submit", "device/" + deviceId);
    CommandRequest request = ApiJson.read(ctx, CommandRequest.class);
    String idempotencyKey = ctx.request().getHeader("idempotency-key");
    if (idempotencyKey != null
        && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "Idempotency-Key must be 1 to 128 characters");
    }
    commands
        .submit(deviceId, request, by, StaffAccess.remoteAddress(ctx), idempotencyKey)
        .onSuccess(
            command -> {
              ctx.response().putHeader("location", "/api/v1/commands/" + command.id());
              ApiJson.send(ctx, 202, Map.of("commandId", command.id(), "status", command.status()));
            })
        .onFailure(ctx::fail);
  }

  /** The device's commands, newest first, filtered, paged by cursor. */
  private void history(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    Cursor.Position from = Cursor.decode(ctx, NEWEST_FIRST);
    CommandHistoryQuery query =
        new CommandHistoryQuery(
            ctx.pathParam("id"),
            QueryParams.text(ctx, "status"),
            QueryParams.text(ctx, "name"),
            from == null ? null : from.id(),
            limit + 1);
    commands
        .history(query)
        .map(
            rows -> {
              if (rows.size() <= limit) {
                return new CommandPage(rows.stream().map(commands::forStaff).toList(), null);
              }
              String last = rows.get(limit - 1).id();
              return new CommandPage(
                  rows.subList(0, limit).stream().map(commands::forStaff).toList(),
                  Cursor.encode(NEWEST_FIRST, last, last));
            })
        .onSuccess(page -> ApiJson.send(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  /** {@code GET /devices/{id}/commands}: a page, and the next one's token unless the last. */
  record CommandPage(List<Command> commands, String nextCursor) {}

  /** The full record: timestamps per state, the device's output, and the transition history. */
  private void get(RoutingContext ctx) {
    String commandId = ctx.pathParam("commandId");
    commands
        .find(commandId)
        .compose(
            found ->
                found.isEmpty()
                    ? Future.failedFuture(
                        new ServiceException(Failure.NOT_FOUND, "no such command"))
                    : commands
                        .transitions(commandId)
                        .map(transitions -> view(commands.forStaff(found.get()), transitions)))
        .onSuccess(body -> ApiJson.send(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  /** A command with its history, as one JSON object. */
  record CommandView(
      @com.fasterxml.jackson.annotation.JsonUnwrapped Command command,
      List<CommandTransition> transitions) {}

  private static CommandView view(Command command, List<CommandTransition> transitions) {
    return new CommandView(command, transitions);
  }
}
