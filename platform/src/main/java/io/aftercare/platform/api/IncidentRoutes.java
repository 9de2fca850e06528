package io.aftercare.platform.api;

import io.aftercare.bridge.IncidentDeclaration;
import io.aftercare.bridge.IncidentDeclarations;
import io.aftercare.bridge.IncidentReview;
import io.aftercare.bridge.IncidentService;
import io.aftercare.bridge.IncidentStatus;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * Incidents (docs/incidents.md): {@code GET/POST /incidents}, {@code GET /incidents/{id}}, {@code
 * POST /incidents/{id}/transitions}, {@code /review} and {@code /tickets}. Any staff member reads;
 * supervisors declare, review and close; technicians respond, handle, resolve and link tickets.
 */
final class IncidentRoutes {

  private final IncidentService incidents;
  private final IncidentDeclarations declarations;
  private final BridgeCalls calls;
  private final StaffAccess access;

  IncidentRoutes(
      IncidentService incidents,
      IncidentDeclarations declarations,
      BridgeCalls calls,
      StaffAccess access) {
    this.incidents = incidents;
    this.declarations = declarations;
    this.calls = calls;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/incidents").handler(this::list);
    api.post("/incidents").handler(this::declare);
    api.get("/incidents/:id").handler(this::get);
    api.post("/incidents/:id/transitions").handler(this::transition);
    api.post("/incidents/:id/review").handler(this::review);
    api.post("/incidents/:id/tickets").handler(this::linkTicket);
  }

  private void list(RoutingContext ctx) {
    String status = QueryParams.text(ctx, "status");
    String level = QueryParams.text(ctx, "level");
    String origin = QueryParams.text(ctx, "origin");
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    calls.answer(ctx, 200, () -> Map.of("incidents", incidents.list(status, level, origin, limit)));
  }

  record DeclareRequest(
      String level,
      String title,
      String description,
      List<String> deviceIds,
      List<String> customerRefs) {}

  private void declare(RoutingContext ctx) {
    StaffPrincipal by = access.require(ctx, Role.SUPERVISOR, "incident.declare", "incidents");
    DeclareRequest body = ApiJson.read(ctx, DeclareRequest.class);
    IncidentDeclaration declaration =
        BridgeCalls.checked(
            () ->
                IncidentDeclaration.of(
                    body.level(),
                    body.title(),
                    body.description(),
                    body.deviceIds(),
                    body.customerRefs()));
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "incident.declare", "incidents")
            .withDetail(
                Map.of(
                    "level", declaration.level().wireName(),
                    "devices", declaration.deviceIds().size(),
                    "customers", declaration.customerRefs().size()));
    calls.answerAudited(
        ctx, 201, entry, alsoCommit -> declarations.declare(declaration, by.name(), alsoCommit));
  }

  private void get(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    calls.answerFound(ctx, () -> incidents.find(id), "no such incident");
  }

  record TransitionRequest(String to, String note) {}

  private void transition(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "incident/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "incident.transition", target);
    TransitionRequest body = ApiJson.read(ctx, TransitionRequest.class);
    IncidentStatus to = BridgeCalls.checked(() -> IncidentStatus.fromWireName(body.to(), "to"));
    if (to == IncidentStatus.CLOSED) {
      access.require(ctx, Role.SUPERVISOR, "incident.transition", target);
    }
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "incident.transition", target)
            .withDetail(Map.of("to", to.wireName()));
    calls.answerAudited(
        ctx,
        200,
        entry,
        alsoCommit -> incidents.transition(id, body.to(), body.note(), by.name(), alsoCommit));
  }

  record ReviewRequest(String summary, String rootCause, String actions) {}

  private void review(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "incident/" + id;
    StaffPrincipal by = access.require(ctx, Role.SUPERVISOR, "incident.review", target);
    ReviewRequest body = ApiJson.read(ctx, ReviewRequest.class);
    IncidentReview review =
        BridgeCalls.checked(
            () -> new IncidentReview(body.summary(), body.rootCause(), body.actions()));
    AuditEntry entry = StaffAccess.allowed(ctx, by, "incident.review", target);
    calls.answerAudited(
        ctx, 200, entry, alsoCommit -> incidents.review(id, review, by.name(), alsoCommit));
  }

  record LinkRequest(Long ticketId) {}

  private void linkTicket(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "incident/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "incident.link_ticket", target);
    LinkRequest body = ApiJson.read(ctx, LinkRequest.class);
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "incident.link_ticket", target)
            .withDetail(Map.of("ticketId", String.valueOf(body.ticketId())));
    calls.answerAudited(
        ctx,
        200,
        entry,
        alsoCommit -> incidents.linkTicket(id, body.ticketId(), by.name(), alsoCommit));
  }
}
