package io.aftercare.platform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aftercare.bridge.TicketDetail;
import io.aftercare.bridge.TicketService;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code GET /tickets/export}: ended cases (closed, cancelled, archived) opened in a range, as CSV
 * or JSON lines (docs/retention.md). Bulk customer data: supervisors only, and every export is
 * audited in the transaction that reads it.
 */
final class TicketExportRoutes {

  private final TicketService tickets;
  private final BridgeCalls calls;
  private final StaffAccess access;

  TicketExportRoutes(TicketService tickets, BridgeCalls calls, StaffAccess access) {
    this.tickets = tickets;
    this.calls = calls;
    this.access = access;
  }

  /** Mounted before {@code /tickets/:id}, which would otherwise take "export" for an id. */
  void mount(Router api) {
    api.get("/tickets/export").handler(this::export);
  }

  private void export(RoutingContext ctx) {
    StaffPrincipal by = access.require(ctx, Role.SUPERVISOR, "ticket.export", "tickets");
    Instant from = required(ctx, "from");
    Instant to = required(ctx, "to");
    String status = QueryParams.text(ctx, "status");
    String format = Objects.requireNonNullElse(QueryParams.text(ctx, "format"), "csv");
    if (!format.equals("csv") && !format.equals("jsonl")) {
      throw new ServiceException(Failure.INVALID_INPUT, "'format' must be csv or jsonl");
    }
    AuditEntry entry =
        StaffAccess.allowed(ctx, by, "ticket.export", "tickets")
            .withDetail(
                new JsonObject()
                    .put("from", from.toString())
                    .put("to", to.toString())
                    .put("status", status)
                    .put("format", format)
                    .encode());
    boolean csv = format.equals("csv");
    // Read and formatted on a worker: thousands of cases are too much work for an event loop.
    calls
        .call(
            () -> {
              List<TicketDetail> cases =
                  tickets.export(from, to, status, c -> AuditLog.append(c, entry));
              return csv ? TicketCsv.write(cases) : jsonLines(cases);
            })
        .onSuccess(body -> send(ctx, format, body))
        .onFailure(ctx::fail);
  }

  private static Instant required(RoutingContext ctx, String name) {
    Instant value = QueryParams.instant(ctx, name, null);
    if (value == null) {
      throw new ServiceException(Failure.INVALID_INPUT, "'" + name + "' is required");
    }
    return value;
  }

  private static void send(RoutingContext ctx, String format, String body) {
    ctx.response()
        .setStatusCode(200)
        .putHeader(
            "content-type",
            format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson")
        .putHeader("content-disposition", "attachment; filename=\"tickets." + format + "\"")
        .end(Buffer.buffer(body));
  }

  /** One case per line, as {@code GET /tickets/{id}} shows it. */
  private static String jsonLines(List<TicketDetail> cases) {
    StringBuilder lines = new StringBuilder();
    for (TicketDetail detail : cases) {
      try {
        lines.append(ApiJson.mapper().writeValueAsString(detail)).append('\n');
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lines.toString();
  }
}
