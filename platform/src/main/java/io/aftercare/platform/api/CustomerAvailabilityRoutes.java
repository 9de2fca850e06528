package io.aftercare.platform.api;

import io.aftercare.bridge.TicketService;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /tickets/{id}/customer-availability}: a technician records that the customer cannot
 * be reached or let anyone in, and later that they can again; the repair clock is paused in between
 * (docs/tickets.md, "SLA clocks"). Audited.
 */
final class CustomerAvailabilityRoutes {

  private final TicketService tickets;
  private final BridgeCalls calls;
  private final StaffAccess access;

  CustomerAvailabilityRoutes(TicketService tickets, BridgeCalls calls, StaffAccess access) {
    this.tickets = tickets;
    this.calls = calls;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/tickets/:id/customer-availability").handler(this::change);
  }

  /** The body: whether the customer is available from now on, and why (optional). */
  record AvailabilityRequest(Boolean available, String note) {}

  private void change(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "ticket/" + id;
    StaffPrincipal by =
        access.require(ctx, Role.TECHNICIAN, "ticket.customer_availability", target);
    AvailabilityRequest body = ApiJson.read(ctx, AvailabilityRequest.class);
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "ticket.customer_availability", target)
            .withDetail(new JsonObject().put("available", body.available()).encode());
    calls.answerAudited(
        ctx,
        200,
        entry,
        alsoCommit ->
            tickets.customerAvailability(id, body.available(), body.note(), by.name(), alsoCommit));
  }
}
