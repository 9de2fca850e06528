package io.aftercare.platform.api;

import io.aftercare.bridge.PartService;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Spare parts (docs/dispatch.md): {@code POST /tickets/{id}/part-requests} and {@code POST
 * /part-requests/{id}/issue} for technicians and up, audited; the issue log {@code GET
 * /parts/issues} for any staff member. A ticket's requests are shown by {@code GET /tickets/{id}}.
 */
final class PartRoutes {

  private static final Duration DEFAULT_LOG_WINDOW = Duration.ofDays(30);

  /** The body of {@code POST /tickets/{id}/part-requests}. */
  record RequestBody(String partNumber, Integer quantity, String model) {}

  private final PartService parts;
  private final BridgeCalls calls;
  private final StaffAccess access;

  PartRoutes(PartService parts, BridgeCalls calls, StaffAccess access) {
    this.parts = parts;
    this.calls = calls;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/tickets/:id/part-requests").handler(this::request);
    api.post("/part-requests/:id/issue").handler(this::issue);
    api.get("/parts/issues").handler(this::issues);
  }

  private void request(RoutingContext ctx) {
    long ticketId = BridgeCalls.id(ctx, "id");
    String target = "ticket/" + ticketId;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "part.request", target);
    RequestBody body = ApiJson.read(ctx, RequestBody.class);
    Map<String, Object> facts = new HashMap<>();
    if (body.partNumber() != null) {
      facts.put("partNumber", body.partNumber());
    }
    if (body.quantity() != null) {
      facts.put("quantity", body.quantity());
    }
    AuditEntry entry = StaffAccess.allowed(ctx, by, "part.request", target).withDetail(facts);
    calls.answerAudited(
        ctx,
        201,
        entry,
        alsoCommit ->
            parts.request(
                ticketId, body.partNumber(), body.quantity(), body.model(), by.name(), alsoCommit));
  }

  private void issue(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "part-request/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "part.issue", target);
    AuditEntry entry = StaffAccess.allowed(ctx, by, "part.issue", target);
    calls.answerAudited(ctx, 201, entry, alsoCommit -> parts.issue(id, by.name(), alsoCommit));
  }

  /** The issue log over [from, to); the last 30 days by default. */
  private void issues(RoutingContext ctx) {
    Instant to = QueryParams.instant(ctx, "to", Instant.now());
    Instant from = QueryParams.instant(ctx, "from", to.minus(DEFAULT_LOG_WINDOW));
    int limit = QueryParams.integer(ctx, "limit", 1000, 1, 10_000);
    calls.answer(ctx, 200, () -> Map.of("issues", parts.issues(from, to, limit)));
  }
}
