package io.aftercare.platform.api;

import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.consent.SupportSessions;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;

/**
 * The owner's support sessions through their case's link (docs/customer-api.md, "Support
 * sessions"): {@code /api/v1/customer/case/support-sessions} to grant and list them, {@code
 * …/{sessionId}} to revoke one, {@code …/{sessionId}/activity} to read what staff did under it.
 * Mounted with the customer's case, ahead of the staff API.
 */
final class CustomerSupportSessionRoutes {

  static final String PATH = CustomerRoutes.CASE_PATH + "/support-sessions";
  private static final long MAX_BODY_BYTES = 4 * 1024;

  private final SupportSessions sessions;
  private final CommandService commands;

  CustomerSupportSessionRoutes(SupportSessions sessions, CommandService commands) {
    this.sessions = sessions;
    this.commands = commands;
  }

  void mount(Router root) {
    root.post(PATH)
        .failureHandler(Problems::handle)
        .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES))
        .handler(this::grant);
    root.get(PATH).failureHandler(Problems::handle).handler(this::list);
    root.delete(PATH + "/:sessionId").failureHandler(Problems::handle).handler(this::revoke);
    root.get(PATH + "/:sessionId/activity")
        .failureHandler(Problems::handle)
        .handler(this::activity);
  }

  /**
   * @param devices device ids; absent for the case's own device
   * @param commandClasses restart, network, settings, lock, camera or firmware
   * @param validFor a duration such as 2h or PT2H; absent for 1 h
   */
  record GrantBody(List<String> devices, List<String> commandClasses, String validFor) {}

  private void grant(RoutingContext ctx) {
    String token = CustomerRoutes.token(ctx);
    GrantBody body = ApiJson.read(ctx, GrantBody.class);
    answer(
        ctx,
        201,
        sessions.grant(
            token,
            new SupportSessions.Grant(body.devices(), body.commandClasses(), body.validFor()),
            StaffAccess.remoteAddress(ctx)));
  }

  private void list(RoutingContext ctx) {
    String token = CustomerRoutes.token(ctx);
    answer(ctx, 200, sessions.list(token).map(list -> Map.of("sessions", list)));
  }

  /** Revoked: the commands still waiting under the session are withdrawn before the answer. */
  private void revoke(RoutingContext ctx) {
    String token = CustomerRoutes.token(ctx);
    answer(
        ctx,
        200,
        sessions
            .revoke(token, ctx.pathParam("sessionId"), StaffAccess.remoteAddress(ctx))
            .compose(revoked -> commands.withdrawWithoutConsent().map(withdrawn -> revoked)));
  }

  private void activity(RoutingContext ctx) {
    String token = CustomerRoutes.token(ctx);
    answer(ctx, 200, sessions.activity(token, ctx.pathParam("sessionId")));
  }

  private static <T> void answer(RoutingContext ctx, int status, Future<T> result) {
    result
        .onSuccess(body -> ApiJson.send(ctx, status, body))
        .onFailure(error -> ctx.fail(BridgeCalls.translate(error)));
  }
}
