package io.aftercare.platform.api;

import io.aftercare.bridge.ComplaintFiling;
import io.aftercare.bridge.ComplaintService;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Complaints (docs/complaints.md): {@code GET/POST /complaints}, {@code GET /complaints/{id}} and
 * its actions {@code /response}, {@code /notes}, {@code /resolution}, {@code /confirmation}. Any
 * staff member reads; technicians and above record and work complaints. Every action is audited.
 */
final class ComplaintRoutes {

  private final ComplaintService complaints;
  private final BridgeCalls calls;
  private final StaffAccess access;

  ComplaintRoutes(ComplaintService complaints, BridgeCalls calls, StaffAccess access) {
    this.complaints = complaints;
    this.calls = calls;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/complaints").handler(this::list);
    api.post("/complaints").handler(this::file);
    api.get("/complaints/:id").handler(this::get);
    api.post("/complaints/:id/response").handler(this::respond);
    api.post("/complaints/:id/notes").handler(this::note);
    api.post("/complaints/:id/resolution").handler(this::resolve);
    api.post("/complaints/:id/confirmation").handler(this::confirm);
  }

  private void list(RoutingContext ctx) {
    String status = QueryParams.text(ctx, "status");
    String ticket = QueryParams.text(ctx, "ticketId");
    Long ticketId;
    try {
      ticketId = ticket == null ? null : Long.valueOf(ticket);
    } catch (NumberFormatException e) {
      throw new ServiceException(Failure.INVALID_INPUT, "'ticketId' must be a ticket id");
    }
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    calls.answer(ctx, 200, () -> Map.of("complaints", complaints.list(status, ticketId, limit)));
  }

  record FileRequest(String channel, String customerRef, String text, Long ticketId) {}

  private void file(RoutingContext ctx) {
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "complaint.file", "complaints");
    FileRequest body = ApiJson.read(ctx, FileRequest.class);
    ComplaintFiling filing =
        BridgeCalls.checked(
            () ->
                new ComplaintFiling(
                    body.channel(), body.customerRef(), body.text(), body.ticketId()));
    Map<String, Object> facts = new HashMap<>();
    facts.put("channel", filing.channel());
    if (filing.ticketId() != null) {
      facts.put("ticketId", filing.ticketId());
    }
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "complaint.file", "complaints").withDetail(facts);
    calls.answerAudited(
        ctx, 201, entry, alsoCommit -> complaints.file(filing, by.name(), alsoCommit));
  }

  private void get(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    calls.answerFound(ctx, () -> complaints.find(id), "no such complaint");
  }

  record TextRequest(String text) {}

  private void respond(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "complaint.respond", target(id));
    TextRequest body = ApiJson.read(ctx, TextRequest.class);
    AuditEntry entry = StaffAccess.allowed(ctx, by, "complaint.respond", target(id));
    calls.answerAudited(
        ctx, 200, entry, alsoCommit -> complaints.respond(id, body.text(), by.name(), alsoCommit));
  }

  private void note(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "complaint.note", target(id));
    TextRequest body = ApiJson.read(ctx, TextRequest.class);
    AuditEntry entry = StaffAccess.allowed(ctx, by, "complaint.note", target(id));
    calls.answerAudited(
        ctx, 200, entry, alsoCommit -> complaints.note(id, body.text(), by.name(), alsoCommit));
  }

  record ResolveRequest(String resolution) {}

  private void resolve(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "complaint.resolve", target(id));
    ResolveRequest body = ApiJson.read(ctx, ResolveRequest.class);
    AuditEntry entry = StaffAccess.allowed(ctx, by, "complaint.resolve", target(id));
    calls.answerAudited(
        ctx,
        200,
        entry,
        alsoCommit -> complaints.resolve(id, body.resolution(), by.name(), alsoCommit));
  }

  record ConfirmRequest(Boolean confirmed, String comment) {}

  private void confirm(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "complaint.confirm", target(id));
    ConfirmRequest body = ApiJson.read(ctx, ConfirmRequest.class);
    Map<String, Object> facts = new HashMap<>();
    facts.put("confirmed", body.confirmed());
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "complaint.confirm", target(id)).withDetail(facts);
    calls.answerAudited(
        ctx,
        200,
        entry,
        alsoCommit ->
            complaints.confirm(id, body.confirmed(), body.comment(), by.name(), alsoCommit));
  }

  private static String target(long id) {
    return "complaint/" + id;
  }
}
