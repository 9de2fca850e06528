package io.aftercare.platform.api;

import io.aftercare.bridge.CustomerCare;
import io.aftercare.bridge.QuoteRequest;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.List;

/**
 * Quotes for out-of-warranty work: {@code POST /tickets/{id}/quotes}, technicians and above,
 * audited (docs/tickets.md, "Quotes"). The customer decides through their link or the helpdesk.
 */
final class QuoteRoutes {

  private final CustomerCare care;
  private final BridgeCalls calls;
  private final StaffAccess access;

  QuoteRoutes(CustomerCare care, BridgeCalls calls, StaffAccess access) {
    this.care = care;
    this.calls = calls;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/tickets/:id/quotes").handler(this::send);
  }

  /** The body of {@code POST /tickets/{id}/quotes}, checked field by field by QuoteRequest. */
  record QuoteBody(
      List<QuoteRequest.Line> lines,
      BigDecimal labour,
      Integer estimatedMinutes,
      String currency) {}

  private void send(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "ticket/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "ticket.quote", target);
    QuoteBody body = ApiJson.read(ctx, QuoteBody.class);
    QuoteRequest request =
        BridgeCalls.checked(
            () ->
                new QuoteRequest(
                    body.lines(), body.labour(), body.estimatedMinutes(), body.currency()));
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "ticket.quote", target)
            .withDetail(
                new JsonObject()
                    .put("total", request.total().toPlainString())
                    .put("currency", request.currency())
                    .encode());
    calls.answerAudited(
        ctx, 201, entry, alsoCommit -> care.sendQuote(id, request, by.name(), alsoCommit));
  }
}
