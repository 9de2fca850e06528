package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * Appointments with technicians (docs/dispatch.md), as blocking calls for worker threads: book,
 * cancel, reschedule. Authorization is the caller's job; the actor is recorded on the timeline.
 */
public final class AppointmentService {

  private static final int MAX_REASON = 2000;

  private final Tx tx;
  private final Clock clock;

  AppointmentService(Tx tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
  }

  /** Books a confirmed appointment; {@code alsoCommit} runs in the same transaction. */
  public Appointment book(
      long ticketId, AppointmentRequest request, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Ticket ticket = TicketStore.lock(c, ticketId);
          Appointment booked = Appointments.book(c, ticket, request, actor, clock.instant(), null);
          alsoCommit.run(c);
          return booked;
        });
  }

  /** Cancels a confirmed appointment, telling the customer; {@code reason} is required. */
  public Appointment cancel(
      long appointmentId, String reason, String actor, InTransaction alsoCommit) {
    if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
      throw new BridgeException(
          BridgeException.Kind.INVALID, "'reason' is required, at most " + MAX_REASON + " chars");
    }
    return tx.run(
        c -> {
          Appointment appointment = lock(c, appointmentId);
          Appointment cancelled =
              Appointments.cancel(c, appointment, reason, actor, clock.instant(), true);
          alsoCommit.run(c);
          return cancelled;
        });
  }

  /**
   * Moves a confirmed appointment to another window: the old one is cancelled and a new one booked
   * in one transaction, so the old window never blocks the new one. A null {@code technician} or
   * {@code addressRef} keeps the old appointment's.
   *
   * @return the new appointment
   */
  public Appointment reschedule(
      long appointmentId,
      String technician,
      Instant startsAt,
      Instant endsAt,
      String addressRef,
      String actor,
      InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Appointment old = lock(c, appointmentId);
          AppointmentRequest request =
              new AppointmentRequest(
                  technician == null ? old.technician() : technician,
                  startsAt,
                  endsAt,
                  addressRef == null ? old.addressRef() : addressRef);
          Instant now = clock.instant();
          Appointments.cancel(
              c, old, "rescheduled to " + startsAt + " - " + endsAt, actor, now, false);
          Appointment booked =
              Appointments.book(
                  c,
                  TicketStore.load(c, old.ticketId(), false).orElseThrow(),
                  request,
                  actor,
                  now,
                  old.id());
          alsoCommit.run(c);
          return booked;
        });
  }

  /** Locks the appointment's ticket (the order every ticket change takes), then reads it. */
  private static Appointment lock(Connection c, long appointmentId) throws SQLException {
    TicketStore.lock(c, Appointments.ticketOf(c, appointmentId));
    return Appointments.find(c, appointmentId);
  }
}
