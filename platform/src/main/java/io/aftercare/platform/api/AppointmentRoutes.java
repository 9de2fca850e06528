package io.aftercare.platform.api;

import io.aftercare.bridge.AppointmentRequest;
import io.aftercare.bridge.AppointmentService;
import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffPrincipal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Appointments with technicians (docs/dispatch.md): {@code POST /tickets/{id}/appointments}, {@code
 * POST /appointments/{id}/cancel} and {@code POST /appointments/{id}/reschedule}, for technicians
 * and up, audited. A ticket's appointments are shown by {@code GET /tickets/{id}}.
 */
final class AppointmentRoutes {

  /** The body of {@code POST /tickets/{id}/appointments}. */
  record BookBody(String technician, Instant startsAt, Instant endsAt, String addressRef) {}

  /** The body of {@code POST /appointments/{id}/cancel}. */
  record CancelBody(String reason) {}

  /** The body of {@code POST /appointments/{id}/reschedule}: absent fields keep the old values. */
  record RescheduleBody(String technician, Instant startsAt, Instant endsAt, String addressRef) {}

  private final AppointmentService appointments;
  private final BridgeCalls calls;
  private final StaffAccess access;

  AppointmentRoutes(AppointmentService appointments, BridgeCalls calls, StaffAccess access) {
    this.appointments = appointments;
    this.calls = calls;
    this.access = access;
  }

  void mount(Router api) {
    api.post("/tickets/:id/appointments").handler(this::book);
    api.post("/appointments/:id/cancel").handler(this::cancel);
    api.post("/appointments/:id/reschedule").handler(this::reschedule);
  }

  private void book(RoutingContext ctx) {
    long ticketId = BridgeCalls.id(ctx, "id");
    String target = "ticket/" + ticketId;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "appointment.book", target);
    BookBody body = ApiJson.read(ctx, BookBody.class);
    AuditEntry entry =
        audit(ctx, by, "appointment.book", target, window(body.technician(), body.startsAt()));
    calls.answerAudited(
        ctx,
        201,
        entry,
        alsoCommit ->
            appointments.book(
                ticketId,
                new AppointmentRequest(
                    body.technician(), body.startsAt(), body.endsAt(), body.addressRef()),
                by.name(),
                alsoCommit));
  }

  private void cancel(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "appointment/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "appointment.cancel", target);
    CancelBody body = ApiJson.read(ctx, CancelBody.class);
    AuditEntry entry = audit(ctx, by, "appointment.cancel", target, Map.of());
    calls.answerAudited(
        ctx,
        200,
        entry,
        alsoCommit -> appointments.cancel(id, body.reason(), by.name(), alsoCommit));
  }

  private void reschedule(RoutingContext ctx) {
    long id = BridgeCalls.id(ctx, "id");
    String target = "appointment/" + id;
    StaffPrincipal by = access.require(ctx, Role.TECHNICIAN, "appointment.reschedule", target);
    RescheduleBody body = ApiJson.read(ctx, RescheduleBody.class);
    AuditEntry entry =
        audit(
            ctx, by, "appointment.reschedule", target, window(body.technician(), body.startsAt()));
    calls.answerAudited(
        ctx,
        201,
        entry,
        alsoCommit ->
            appointments.reschedule(
                id,
                body.technician(),
                body.startsAt(),
                body.endsAt(),
                body.addressRef(),
                by.name(),
                alsoCommit));
  }

  /** The audit detail of a booking: who is sent, and when. */
  private static Map<String, String> window(String technician, Instant startsAt) {
    Map<String, String> facts = new HashMap<>();
    if (technician != null) {
      facts.put("technician", technician);
    }
    if (startsAt != null) {
      facts.put("startsAt", startsAt.toString());
    }
    return facts;
  }

  private static AuditEntry audit(
      RoutingContext ctx, StaffPrincipal by, String action, String target, Map<String, ?> facts) {
    AuditEntry entry = StaffAccess.allowed(ctx, by, action, target);
    return facts.isEmpty() ? entry : entry.withDetail(facts);
  }
}
