package io.aftercare.platform.api;

import io.aftercare.bridge.CustomerCare;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The customer's sign-off and the follow-up as staff record them (docs/tickets.md, "Acceptance and
 * follow-up"): {@code POST /tickets/{id}/acceptance} and {@code POST
 * /tickets/{id}/follow-up/attempts}; technicians and above, audited.
 */
final class FollowUpRoutes {

  private final CustomerCare care;
  private final BridgeCalls calls;
  private final StaffAccess access;

  FollowUpRoutes(CustomerCare care, BridgeCalls calls, StaffAccess access) {
    this.care = care;
    this.calls = calls;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/tickets/:id/acceptance").handler(this::acceptance);
    api.post("/tickets/:id/follow-up/attempts").handler(this::attempt);
  }

  /** The customer's answer as staff heard it. */
  record AcceptanceBody(Boolean accepted, String comment) {}

  /**
   * @param outcome reached or unreachable
   */
  record AttemptBody(String outcome, String note) {}

  private void acceptance(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "ticket/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "ticket.acceptance", target);
    AcceptanceBody body = ApiJson.read(ctx, AcceptanceBody.class);
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "ticket.acceptance", target)
            .withDetail(new JsonObject().put("accepted", body.accepted()).encode());
    calls.answerAudited(
        ctx,
        201,
        entry,
        alsoCommit ->
            care.recordAcceptance(id, body.accepted(), body.comment(), by.name(), alsoCommit));
  }

  private void attempt(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "ticket/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "ticket.follow-up", target);
    AttemptBody body = ApiJson.read(ctx, AttemptBody.class);
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "ticket.follow-up", target)
            .withDetail(new JsonObject().put("outcome", body.outcome()).encode());
    calls.answerAudited(
        ctx,
        201,
        entry,
        alsoCommit -> care.recordAttempt(id, body.outcome(), body.note(), by.name(), alsoCommit));
  }
}
