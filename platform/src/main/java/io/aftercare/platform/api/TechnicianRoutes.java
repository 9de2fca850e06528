package io.aftercare.platform.api;

import io.aftercare.bridge.Technician;
import io.aftercare.bridge.TechnicianProfile;
import io.aftercare.bridge.TechnicianService;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffDirectory;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * Technician profiles for dispatch (docs/dispatch.md): {@code PUT /technicians/{name}} by a
 * supervisor, audited, for an existing staff account only; {@code GET /technicians} and {@code GET
 * /technicians/{name}} for any staff member.
 */
final class TechnicianRoutes {

  /** The body of {@code PUT /technicians/{name}}, checked field by field by the bridge. */
  record ProfileBody(
      List<String> skills, String region, Technician.Certification certification, Boolean active) {}

  private final TechnicianService technicians;
  private final BridgeCalls calls;
  private final StaffAccess access;

  TechnicianRoutes(TechnicianService technicians, BridgeCalls calls, StaffAccess access) {
    this.technicians = technicians;
    this.calls = calls;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/technicians").handler(this::list);
    api.get("/technicians/:name").handler(this::get);
    api.put("/technicians/:name").handler(this::put);
  }

  private void list(RoutingContext ctx) {
    String deviceType = QueryParams.text(ctx, "deviceType");
    String region = QueryParams.text(ctx, "region");
    calls.answer(ctx, 200, () -> Map.of("technicians", technicians.list(deviceType, region)));
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    calls.answerFound(ctx, () -> technicians.find(name), "no such technician");
  }

  private void put(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String target = "technician/" + name;
    StaffPrincipal by = access.require(ctx, Role.SUPERVISOR, "technician.put", target);
    ProfileBody body = ApiJson.read(ctx, ProfileBody.class);
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "technician.put", target)
            .withDetail(
                Map.of(
                    "skills",
                    body.skills() == null ? List.of() : body.skills(),
                    "active",
                    body.active() == null || body.active()));
    calls
        .call(
            () ->
                technicians.put(
                    name,
                    new TechnicianProfile(
                        body.skills(), body.region(), body.certification(), body.active()),
                    by.name(),
                    c -> {
                      // Checked in the write's transaction: an account revoked meanwhile fails it.
                      if (!StaffDirectory.isActive(c, name)) {
                        throw new ServiceException(
                            Failure.INVALID_INPUT, "'name' names no active staff account: " + name);
                      }
                      AuditLog.append(c, entry);
                    }))
        .onSuccess(saved -> ApiJson.send(ctx, 200, saved))
        .onFailure(ctx::fail);
  }
}
