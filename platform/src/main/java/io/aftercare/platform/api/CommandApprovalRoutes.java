package io.aftercare.platform.api;

import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /commands/{commandId}/approval}: a second staff member (supervisor or admin, not the
 * submitter) approves or rejects a command awaiting approval ({@code commands.secondApprover}).
 */
final class CommandApprovalRoutes {

  private static final int MAX_REASON = 500;

  private final CommandService commands;
  private final StaffAccess access;

  CommandApprovalRoutes(CommandService commands, StaffAccess access) {
    this.commands = commands;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/commands/:commandId/approval").handler(this::decide);
  }

  /**
   * @param decision approve or reject
   * @param reason optional, kept in the command's history and the audit log
   */
  record Decision(String decision, String reason) {}

  private void decide(RoutingContext ctx) {
    String commandId = ctx.pathParam("commandId");
    var by = access.require(ctx, Role.SUPERVISOR, "command.approval", "command/" + commandId);
    Decision body = ApiJson.read(ctx, Decision.class);
    if (body == null || body.decision() == null) {
      throw invalid("missing field 'decision'");
    }
    boolean approve =
        switch (body.decision()) {
          case "approve" -> true;
          case "reject" -> false;
          default -> throw invalid("'decision' must be approve or reject");
        };
    if (body.reason() != null && body.reason().length() > MAX_REASON) {
      throw invalid("'reason' must be at most " + MAX_REASON + " characters");
    }
    commands
        .decide(commandId, approve, body.reason(), by, StaffAccess.remoteAddress(ctx))
        .onSuccess(command -> ApiJson.send(ctx, 200, commands.forStaff(command)))
        .onFailure(ctx::fail);
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(Failure.INVALID_INPUT, message);
  }
}
