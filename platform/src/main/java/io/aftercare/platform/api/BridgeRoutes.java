package io.aftercare.platform.api;

import io.aftercare.bridge.InboundWebhooks;
import io.aftercare.bridge.TicketService;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The helpdesk side of the bridge: dead letters and their re-drive for supervisors ({@code GET
 * /bridge/dead-letters}, {@code POST /bridge/dead-letters/{id}/redrive}), and the inbound endpoint
 * {@code POST /api/v1/bridge/inbound}, which is authenticated by its Standard Webhooks signature
 * instead of a bearer token.
 */
final class BridgeRoutes {

  static final String INBOUND_PATH = "/api/v1/bridge/inbound";
  private static final long MAX_INBOUND_BYTES = 64 * 1024;

  private final TicketService tickets;
  private final InboundWebhooks inbound;
  private final BridgeCalls calls;
  private final StaffAccess access;

  BridgeRoutes(
      TicketService tickets, InboundWebhooks inbound, BridgeCalls calls, StaffAccess access) {
    this.tickets = tickets;
    this.inbound = inbound;
    this.calls = calls;
    this.access = access;
  }

  /** Staff routes, behind bearer authentication. */
  void mount(Router api) {
    api.get("/bridge/dead-letters").handler(this::deadLetters);
    api.post("/bridge/dead-letters/:id/redrive").handler(this::redrive);
  }

  /** The inbound route, on the root router ahead of the bearer-authenticated API. */
  void mountInbound(Router root) {
    root.post(INBOUND_PATH)
        .handler(BodyHandler.create().setBodyLimit(MAX_INBOUND_BYTES))
        .handler(this::inbound)
        .failureHandler(Problems::handle);
  }

  private void deadLetters(RoutingContext ctx) {
    access.require(ctx, Role.SUPERVISOR, "bridge.dead-letters", "bridge");
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    calls.answer(ctx, 200, () -> Map.of("deadLetters", tickets.deadLetters(limit)));
  }

  private void redrive(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "outbox/" + id;
    StaffPrincipal by = access.require(ctx, Role.SUPERVISOR, "bridge.redrive", target);
    AuditEntry entry = StaffAccess.allowed(ctx, by, "bridge.redrive", target);
    calls
        .call(
            () -> {
              tickets.redrive(id, c -> AuditLog.append(c, entry));
              return null;
            })
        .onSuccess(done -> ApiJson.send(ctx, 202, Map.of("id", id, "status", "pending")))
        .onFailure(ctx::fail);
  }

  private void inbound(RoutingContext ctx) {
    Map<String, String> headers = new HashMap<>();
    ctx.request()
        .headers()
        .forEach(
            header -> headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String from = StaffAccess.remoteAddress(ctx);
    calls
        .call(
            () ->
                inbound.verifyAndApply(
                    headers,
                    body,
                    (c, applied) -> AuditLog.append(c, HelpdeskAudit.of(applied, from))))
        .onSuccess(
            ticket ->
                ApiJson.send(ctx, 200, Map.of("ticketId", ticket.id(), "status", ticket.status())))
        .onFailure(ctx::fail);
  }
}
