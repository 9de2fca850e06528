package io.aftercare.platform.api;

import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffDirectory;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Who is calling the staff API and what they may do: authenticates the bearer token of every {@code
 * /api/v1} request, and checks roles per route. A refused privileged action is audited.
 */
final class StaffAccess {

  private static final String PRINCIPAL = "aftercare.staff";

  private final StaffDirectory staff;
  private final AuditLog audit;

  StaffAccess(StaffDirectory staff, AuditLog audit) {
    this.staff = staff;
    this.audit = audit;
  }

  /** Route handler: authenticates, then passes the request on. */
  void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    String bearer =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim()
            : null;
    staff
        .authenticate(bearer)
        .onSuccess(
            principal -> {
              ctx.put(PRINCIPAL, principal);
              ctx.next();
            })
        .onFailure(ctx::fail);
  }

  static StaffPrincipal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  static String remoteAddress(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null
        ? null
        : ctx.request().remoteAddress().hostAddress();
  }

  /** The audit entry of an action {@code by} was allowed to take. */
  static AuditEntry allowed(RoutingContext ctx, StaffPrincipal by, String action, String target) {
    return AuditEntry.of(by.name(), action, target, AuditEntry.Outcome.ALLOWED, remoteAddress(ctx));
  }

  /**
   * Checks that the caller has at least {@code required}; if not, audits the refusal of {@code
   * action} and throws 403.
   */
  StaffPrincipal require(RoutingContext ctx, Role required, String action, String target) {
    StaffPrincipal principal = principal(ctx);
    if (principal.role().atLeast(required)) {
      return principal;
    }
    audit.record(
        AuditEntry.of(
                principal.name(), action, target, AuditEntry.Outcome.DENIED, remoteAddress(ctx))
            .withDetail(
                Map.of("role", principal.role().wireName(), "required", required.wireName())));
    throw new ServiceException(
        Failure.FORBIDDEN, "this needs the " + required.wireName() + " role");
  }
}
