package io.aftercare.platform.api;

import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.staff.Role;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/audit/verify} (admin): checks the audit log's hash chain. */
final class AuditChainRoutes {

  private final AuditLog audit;
  private final StaffAccess access;

  AuditChainRoutes(AuditLog audit, StaffAccess access) {
    this.audit = audit;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/audit/verify").handler(this::verify);
  }

  private void verify(RoutingContext ctx) {
    access.require(ctx, Role.ADMIN, "audit.verify", "audit");
    audit.verify().onSuccess(report -> ApiJson.send(ctx, 200, report)).onFailure(ctx::fail);
  }
}
