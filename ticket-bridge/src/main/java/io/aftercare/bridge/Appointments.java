package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Books and cancels appointments inside the caller's transaction (docs/dispatch.md): the row, its
 * timeline entry and its outbox event change together. The database refuses overlapping confirmed
 * windows of one technician (an exclusion constraint), so two bookings racing for the same
 * technician cannot both succeed.
 */
final class Appointments {

  /** Acknowledged (the need is confirmed) and not yet resolved. */
  private static final Set<TicketStatus> BOOKABLE =
      EnumSet.of(
          TicketStatus.ACKNOWLEDGED,
          TicketStatus.DISPATCHED,
          TicketStatus.IN_PROGRESS,
          TicketStatus.AWAITING_PARTS);

  private static final String EXCLUSION_VIOLATION = "23P01";

  private static final String COLUMNS =
      "id, ticket_id, technician, starts_at, ends_at, address_ref, status, created_at,"
          + " created_by, cancelled_at";

  private Appointments() {}

  /**
   * Books {@code request} for the ticket, locked by the caller; {@code replaces} is the appointment
   * it reschedules, or null.
   */
  static Appointment book(
      Connection c,
      Ticket ticket,
      AppointmentRequest request,
      String actor,
      Instant now,
      Long replaces)
      throws SQLException {
    if (!BOOKABLE.contains(ticket.status())) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "appointments are booked for acknowledged tickets not yet resolved; this one is "
              + ticket.status().wireName());
    }
    // Qualified now and still on the appointment's last day.
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    LocalDate lastDay = LocalDate.ofInstant(request.endsAt(), ZoneOffset.UTC);
    Technicians.requireQualified(
        c,
        "technician",
        request.technician(),
        ticket.deviceType(),
        lastDay.isAfter(today) ? lastDay : today);
    long id;
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_appointments (ticket_id, technician, starts_at, ends_at,"
                + " address_ref, status, created_at, created_by)"
                + " VALUES (?, ?, ?, ?, ?, 'confirmed', ?, ?) RETURNING id")) {
      insert.setLong(1, ticket.id());
      insert.setString(2, request.technician());
      insert.setTimestamp(3, Timestamp.from(request.startsAt()));
      insert.setTimestamp(4, Timestamp.from(request.endsAt()));
      insert.setString(5, DeskKey.current().seal(request.addressRef()));
      insert.setTimestamp(6, Timestamp.from(now));
      insert.setString(7, actor);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    } catch (SQLException e) {
      if (EXCLUSION_VIOLATION.equals(e.getSQLState())) {
        throw new BridgeException(
            BridgeException.Kind.CONFLICT,
            "technician "
                + request.technician()
                + " already has a confirmed appointment overlapping "
                + request.startsAt()
                + " to "
                + request.endsAt());
      }
      throw e;
    }
    Appointment booked = find(c, id);
    TicketStore.appendTimeline(
        c,
        ticket.id(),
        now,
        actor,
        "appointment_set",
        null,
        null,
        replaces == null ? null : "rescheduled appointment " + replaces,
        booked);
    Outbox.append(
        c,
        ticket.id(),
        Outbox.APPOINTMENT_SET,
        now,
        replaces == null
            ? Map.of("appointment", booked)
            : Map.of("appointment", booked, "replacesAppointmentId", replaces));
    return booked;
  }

  /**
   * Cancels a confirmed appointment of a ticket locked by the caller. A rescheduled appointment is
   * cancelled without an event of its own: the new appointment's event says what it replaces.
   */
  static Appointment cancel(
      Connection c, Appointment appointment, String reason, String actor, Instant now, boolean tell)
      throws SQLException {
    if (!"confirmed".equals(appointment.status())) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT, "appointment " + appointment.id() + " is not confirmed");
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE ticket_appointments SET status = 'cancelled', cancelled_at = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setLong(2, appointment.id());
      update.executeUpdate();
    }
    Appointment cancelled = find(c, appointment.id());
    TicketStore.appendTimeline(
        c,
        appointment.ticketId(),
        now,
        actor,
        "appointment_cancelled",
        null,
        null,
        reason,
        cancelled);
    if (tell) {
      Outbox.append(
          c,
          appointment.ticketId(),
          Outbox.APPOINTMENT_CANCELLED,
          now,
          Map.of("appointment", cancelled));
    }
    return cancelled;
  }

  /** The ticket an appointment belongs to; 404 when there is no such appointment. */
  static long ticketOf(Connection c, long appointmentId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT ticket_id FROM ticket_appointments WHERE id = ?")) {
      select.setLong(1, appointmentId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new BridgeException(BridgeException.Kind.NOT_FOUND, "no such appointment");
        }
        return rs.getLong(1);
      }
    }
  }

  static Appointment find(Connection c, long id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + COLUMNS + " FROM ticket_appointments WHERE id = ?")) {
      select.setLong(1, id);
      List<Appointment> found = all(select);
      if (found.isEmpty()) {
        throw new BridgeException(BridgeException.Kind.NOT_FOUND, "no such appointment");
      }
      return found.get(0);
    }
  }

  /** A ticket's appointments in booking order, cancelled ones included. */
  static List<Appointment> ofTicket(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM ticket_appointments WHERE ticket_id = ? ORDER BY id")) {
      select.setLong(1, ticketId);
      return all(select);
    }
  }

  private static List<Appointment> all(PreparedStatement select) throws SQLException {
    List<Appointment> appointments = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        Timestamp cancelledAt = rs.getTimestamp("cancelled_at");
        appointments.add(
            new Appointment(
                rs.getLong("id"),
                rs.getLong("ticket_id"),
                rs.getString("technician"),
                rs.getTimestamp("starts_at").toInstant(),
                rs.getTimestamp("ends_at").toInstant(),
                DeskKey.current().open(rs.getString("address_ref")),
                rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"),
                cancelledAt == null ? null : cancelledAt.toInstant()));
      }
    }
    return appointments;
  }
}
