package io.aftercare.platform.api;

import io.aftercare.bridge.TechnicianService;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.audit.AuditQuery;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffDirectory;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/staff} (admin) and {@code /api/v1/audit} (supervisor and admin). */
final class StaffRoutes {

  /** Body of {@code POST /staff}. */
  record NewStaff(String name, String role) {}

  /** Body of {@code PATCH /staff/{name}}: either field may be left out. */
  record StaffChange(String role, Boolean disabled) {}

  private final StaffDirectory staff;
  private final TechnicianService technicians;
  private final AuditLog audit;
  private final StaffAccess access;

  StaffRoutes(
      StaffDirectory staff, TechnicianService technicians, AuditLog audit, StaffAccess access) {
    this.staff = staff;
    this.technicians = technicians;
    this.audit = audit;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/staff").handler(this::list);
    api.post("/staff").handler(this::create);
    api.patch("/staff/:name").handler(this::update);
    api.delete("/staff/:name").handler(this::revoke);
    api.post("/staff/:name/token").handler(this::rotateToken);
    api.get("/audit").handler(this::audit);
  }

  private void create(RoutingContext ctx) {
    var by = access.require(ctx, Role.ADMIN, "staff.create", "staff");
    NewStaff request = ApiJson.read(ctx, NewStaff.class);
    Role role = role(request.role());
    staff
        .create(request.name(), role, by, StaffAccess.remoteAddress(ctx))
        .onSuccess(issued -> ApiJson.send(ctx, 201, IssuedView.of(issued)))
        .onFailure(ctx::fail);
  }

  /** A token just issued, shown this once. */
  record IssuedView(String name, String role, String token, Instant expiresAt) {
    static IssuedView of(StaffDirectory.IssuedToken issued) {
      return new IssuedView(
          issued.name(), issued.role().wireName(), issued.token(), issued.expiresAt());
    }
  }

  /**
   * A new token for the account; the old one stops working. Staff may rotate their own token; only
   * admins may rotate another's.
   */
  private void rotateToken(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    var by = StaffAccess.principal(ctx);
    if (!by.name().equals(name)) {
      access.require(ctx, Role.ADMIN, "staff.token.rotate", "staff/" + name);
    }
    if (name.equals(StaffDirectory.BOOTSTRAP_ADMIN)) {
      throw new ServiceException(
          Failure.CONFLICT,
          "the bootstrap admin token is set in the configuration; disable it instead");
    }
    staff
        .rotate(name, by, StaffAccess.remoteAddress(ctx))
        .onSuccess(issued -> ApiJson.send(ctx, 201, IssuedView.of(issued)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    access.require(ctx, Role.ADMIN, "staff.list", "staff");
    staff
        .list()
        .onSuccess(accounts -> ApiJson.send(ctx, 200, Map.of("staff", accounts)))
        .onFailure(ctx::fail);
  }

  /** A role change or disabling (and re-enabling) an account. */
  private void update(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    var by = access.require(ctx, Role.ADMIN, "staff.update", "staff/" + name);
    StaffChange change = ApiJson.read(ctx, StaffChange.class);
    Role role = change.role() == null ? null : role(change.role());
    staff
        .update(
            name,
            role,
            change.disabled(),
            by,
            StaffAccess.remoteAddress(ctx),
            // A disabled account is no longer dispatched; re-enabling it does not put it back.
            c -> {
              technicians.deactivation(name, by.name()).run(c);
              return null;
            })
        .onSuccess(account -> ApiJson.send(ctx, 200, account))
        .onFailure(ctx::fail);
  }

  private static Role role(String wireName) {
    return Role.fromWireName(wireName)
        .orElseThrow(
            () ->
                new ServiceException(
                    Failure.INVALID_INPUT, "role must be viewer, technician, supervisor or admin"));
  }

  private void revoke(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    var by = access.require(ctx, Role.ADMIN, "staff.revoke", "staff/" + name);
    if (name.equals(StaffDirectory.BOOTSTRAP_ADMIN)) {
      staff
          .disableBootstrapAdmin(by, StaffAccess.remoteAddress(ctx))
          .onSuccess(v -> ctx.response().setStatusCode(204).end())
          .onFailure(ctx::fail);
      return;
    }
    staff
        .revoke(
            name,
            by,
            StaffAccess.remoteAddress(ctx),
            // A revoked account is no longer dispatched (docs/dispatch.md).
            c -> {
              technicians.deactivation(name, by.name()).run(c);
              return null;
            })
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** The audit trail, newest first, filtered, paged by cursor. */
  private void audit(RoutingContext ctx) {
    access.require(ctx, Role.SUPERVISOR, "audit.read", "audit");
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    Cursor.Position position = Cursor.decode(ctx, NEWEST_FIRST);
    AuditQuery query =
        new AuditQuery(
            QueryParams.text(ctx, "actor"),
            QueryParams.text(ctx, "action"),
            QueryParams.text(ctx, "target"),
            QueryParams.instant(ctx, "from", null),
            QueryParams.instant(ctx, "to", null),
            position == null ? null : Cursor.numericId(position),
            limit + 1);
    audit
        .query(query)
        .map(
            rows -> {
              if (rows.size() <= limit) {
                return new AuditPage(rows, null);
              }
              String last = Long.toString(rows.get(limit - 1).id());
              return new AuditPage(rows.subList(0, limit), Cursor.encode(NEWEST_FIRST, last, last));
            })
        .onSuccess(page -> ApiJson.send(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  /** The audit trail's one order, named in its cursors. */
  private static final String NEWEST_FIRST = "newest";

  /** {@code GET /audit}: a page, and the token of the next one unless this is the last. */
  record AuditPage(List<AuditEntry> entries, String nextCursor) {}
}
