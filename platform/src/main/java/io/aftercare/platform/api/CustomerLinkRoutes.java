package io.aftercare.platform.api;

import io.aftercare.bridge.CustomerCare;
import io.aftercare.domain.Durations;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The customer's link to their case (docs/customer-api.md): {@code POST
 * /tickets/{id}/customer-links} issues one, {@code DELETE /tickets/{id}/customer-links/{linkId}}
 * revokes it; technicians and above, audited. The token is in the answer once and never stored or
 * audited.
 */
final class CustomerLinkRoutes {

  private final CustomerCare care;
  private final BridgeCalls calls;
  private final StaffAccess access;

  CustomerLinkRoutes(CustomerCare care, BridgeCalls calls, StaffAccess access) {
    this.care = care;
    this.calls = calls;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/tickets/:id/customer-links").handler(this::issue);
    api.delete("/tickets/:id/customer-links/:linkId").handler(this::revoke);
  }

  /**
   * @param validFor a duration such as 7d or P7D; absent for the configured default
   */
  record IssueBody(String validFor) {}

  private void issue(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "ticket/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "ticket.customer-link", target);
    Duration validFor = validFor(ctx);
    calls
        .call(
            () ->
                care.issueLink(
                    id,
                    validFor,
                    by.name(),
                    c ->
                        AuditLog.append(
                            c, StaffAccess.allowed(ctx, by, "ticket.customer-link", target))))
        .onSuccess(
            issued -> {
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("linkId", issued.linkId());
              answer.put("token", issued.token());
              answer.put("expiresAt", issued.expiresAt());
              answer.put("path", CustomerRoutes.CASE_PATH);
              ApiJson.send(ctx, 201, answer);
            })
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String linkId = ctx.pathParam("linkId");
    String target = "ticket/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "ticket.customer-link.revoke", target);
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "ticket.customer-link.revoke", target)
            .withDetail(new JsonObject().put("linkId", linkId).encode());
    calls
        .call(
            () -> {
              care.revokeLink(id, linkId, by.name(), c -> AuditLog.append(c, entry));
              return null;
            })
        .onSuccess(done -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** The optional {@code validFor} of an issue request; null for the configured default. */
  private static Duration validFor(RoutingContext ctx) {
    if (ctx.body().buffer() == null || ctx.body().buffer().length() == 0) {
      return null;
    }
    IssueBody body = ApiJson.read(ctx, IssueBody.class);
    if (body.validFor() == null) {
      return null;
    }
    try {
      return Durations.parse(body.validFor());
    } catch (IllegalArgumentException e) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "'validFor' must be a duration such as 7d or P7D");
    }
  }
}
