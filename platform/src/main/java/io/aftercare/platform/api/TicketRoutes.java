package io.aftercare.platform.api;

import io.aftercare.bridge.ReportedCase;
import io.aftercare.bridge.Ticket;
import io.aftercare.bridge.TicketEvidence;
import io.aftercare.bridge.TicketListQuery;
import io.aftercare.bridge.TicketService;
import io.aftercare.bridge.TicketStatus;
import io.aftercare.bridge.TransitionRequest;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.sessions.DiagnosticSessions;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Service tickets: {@code GET /tickets}, {@code POST /tickets}, {@code GET /tickets/{id}}, {@code
 * POST /tickets/{id}/transitions}. Any staff member reads; technicians open customer-reported cases
 * and move tickets through the work states; closing and cancelling need a supervisor
 * (docs/tickets.md).
 */
final class TicketRoutes {

  /** The ticket list's orders, as the {@code sort} parameter and the cursors name them. */
  private static final String NEWEST_FIRST = "newest";

  private static final String SLA_URGENCY = "sla";

  private final TicketService tickets;
  private final BridgeCalls calls;
  private final StaffAccess access;
  private final DiagnosticSessions sessions;
  private final Duration diagnosticsWindow;

  /**
   * @param diagnosticsWindow a reported case carries its device's diagnostic sessions started
   *     within this time ({@code tickets.reportedDiagnosticsWindow})
   */
  TicketRoutes(
      TicketService tickets,
      BridgeCalls calls,
      StaffAccess access,
      DiagnosticSessions sessions,
      Duration diagnosticsWindow) {
    this.tickets = tickets;
    this.calls = calls;
    this.access = access;
    this.sessions = sessions;
    this.diagnosticsWindow = diagnosticsWindow;
  }

  void mount(Router api) {
    api.get("/tickets").handler(this::list);
    api.post("/tickets").handler(this::open);
    api.get("/tickets/:id").handler(this::get);
    api.post("/tickets/:id/transitions").handler(this::transition);
  }

  /** The ticket list, newest first or by SLA urgency, filtered, paged by cursor. */
  private void list(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    boolean sla = slaOrder(ctx);
    Cursor.Position from = Cursor.decode(ctx, sla ? SLA_URGENCY : NEWEST_FIRST);
    TicketListQuery query =
        new TicketListQuery(
            QueryParams.text(ctx, "status"),
            QueryParams.text(ctx, "priority"),
            QueryParams.text(ctx, "deviceId"),
            QueryParams.text(ctx, "assignee"),
            QueryParams.text(ctx, "customer"),
            QueryParams.text(ctx, "category"),
            from == null || sla ? null : Cursor.numericId(from),
            limit + 1,
            sla ? TicketListQuery.Sort.SLA : TicketListQuery.Sort.NEWEST,
            from == null || !sla ? null : slaPosition(from));
    calls.answer(
        ctx,
        200,
        () -> {
          List<Ticket> rows = tickets.list(query);
          if (rows.size() <= limit) {
            return new TicketPage(rows, null);
          }
          Ticket lastRow = rows.get(limit - 1);
          String last = Long.toString(lastRow.id());
          String cursor =
              sla
                  ? Cursor.encode(
                      SLA_URGENCY,
                      lastRow.nextDeadline() == null ? null : lastRow.nextDeadline().toString(),
                      last)
                  : Cursor.encode(NEWEST_FIRST, last, last);
          return new TicketPage(rows.subList(0, limit), cursor);
        });
  }

  /** Whether {@code sort} asks for the SLA order; newest first is the default. */
  private static boolean slaOrder(RoutingContext ctx) {
    String sort = QueryParams.text(ctx, "sort");
    if (sort == null || sort.equals(NEWEST_FIRST)) {
      return false;
    }
    if (sort.equals(SLA_URGENCY)) {
      return true;
    }
    throw new ServiceException(
        Failure.INVALID_INPUT, "query parameter 'sort' must be one of newest, sla");
  }

  /** The SLA order's position of a cursor: no deadline (empty key) sorts after every deadline. */
  private static TicketListQuery.SlaPosition slaPosition(Cursor.Position from) {
    long id = Cursor.numericId(from);
    if (from.key().isEmpty()) {
      return new TicketListQuery.SlaPosition(null, id);
    }
    try {
      Instant deadline = Instant.parse(from.key());
      if (TimeBounds.contains(deadline)) {
        return new TicketListQuery.SlaPosition(deadline, id);
      }
    } catch (DateTimeParseException e) {
      // Not a time: the same answer as a time no cursor of this list holds.
    }
    throw new ServiceException(
        Failure.INVALID_INPUT, "query parameter 'cursor' is not a cursor of this list");
  }

  /** {@code GET /tickets}: a page, and the token of the next one unless this is the last. */
  record TicketPage(List<Ticket> tickets, String nextCursor) {}

  /** The body of {@code POST /tickets}, checked field by field by {@link ReportedCase}. */
  record OpenRequest(
      String channel, String symptom, String deviceId, String customerRef, String serviceType) {}

  /** A customer-reported case (docs/tickets.md, "Customer-reported cases"). */
  private void open(RoutingContext ctx) {
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "ticket.open", "tickets");
    OpenRequest body = ApiJson.read(ctx, OpenRequest.class);
    ReportedCase report =
        BridgeCalls.checked(
            () ->
                new ReportedCase(
                    body.channel(),
                    body.symptom(),
                    body.deviceId(),
                    body.customerRef(),
                    body.serviceType()));
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "ticket.open", "tickets")
            .withDetail(
                new JsonObject()
                    .put("channel", report.channel())
                    .put("serviceType", report.serviceType())
                    .put("deviceId", report.deviceId())
                    .encode());
    // The platform gathers the device's recent diagnostics: the bridge does not read its tables.
    Future<List<TicketEvidence.DiagnosticSession>> diagnostics =
        report.deviceId() == null
            ? Future.succeededFuture(List.of())
            : sessions.recentOf(report.deviceId(), diagnosticsWindow);
    diagnostics
        .compose(
            found ->
                calls.call(
                    () ->
                        tickets.open(
                            report.withDiagnosticSessions(found),
                            by.name(),
                            c -> AuditLog.append(c, entry))))
        // 200: the report joined the case already open for the same fault.
        .onSuccess(intake -> ApiJson.send(ctx, intake.joined() ? 200 : 201, intake.ticket()))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    calls.answerFound(ctx, () -> tickets.find(id), "no such ticket");
  }

  private void transition(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "ticket/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "ticket.transition", target);
    TransitionRequest request = ApiJson.read(ctx, TransitionRequest.class);
    TicketStatus to = BridgeCalls.checked(() -> TicketStatus.fromWireName(request.to()));
    if (to.needsSupervisor()) {
      access.require(ctx, Role.SUPERVISOR, "ticket.transition", target);
    }
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "ticket.transition", target)
            .withDetail(new JsonObject().put("to", to.wireName()).encode());
    calls.answerAudited(
        ctx, 200, entry, alsoCommit -> tickets.transition(id, request, by.name(), alsoCommit));
  }
}
