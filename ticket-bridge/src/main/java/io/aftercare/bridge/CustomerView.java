package io.aftercare.bridge;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A case as its customer sees it through their link (docs/customer-api.md): where it stands in
 * plain words, the quote to decide and what the customer may do now. No internal notes, no staff
 * names, no device identifiers: only what the customer needs.
 *
 * @param appointment the confirmed visit or remote session to show; null when none is booked
 * @param quote the latest quote; null when none was sent
 * @param canDecideQuote a quote waits for the customer's decision
 * @param canConfirmRepair the repair is done and waits for the customer's acceptance
 * @param repairAccepted the customer's (or staff's record of the) answer on the latest repair; null
 *     while none was given
 * @param canRate the customer may still rate the service (once, after the repair)
 */
public record CustomerView(
    long caseId,
    TicketStatus status,
    String whatIsHappening,
    String deviceType,
    Instant reportedAt,
    Instant updatedAt,
    Instant linkExpiresAt,
    AppointmentView appointment,
    QuoteView quote,
    boolean canDecideQuote,
    boolean canConfirmRepair,
    Boolean repairAccepted,
    boolean canRate) {

  /**
   * A confirmed appointment without the technician's name: the customer needs the time and the
   * place, not who comes (data minimisation).
   *
   * @param addressRef the reference into the customer system's addresses; null for a remote session
   * @param upcoming the window has not ended yet
   */
  public record AppointmentView(
      Instant startsAt, Instant endsAt, String addressRef, boolean upcoming) {

    /**
     * The next confirmed appointment that has not ended yet, or else the latest one that has; null
     * when none is confirmed.
     */
    static AppointmentView of(List<Appointment> appointments, Instant now) {
      Appointment next = null;
      Appointment latest = null;
      for (Appointment appointment : appointments) {
        if (!"confirmed".equals(appointment.status())) {
          continue;
        }
        if (appointment.endsAt().isAfter(now)) {
          if (next == null || appointment.startsAt().isBefore(next.startsAt())) {
            next = appointment;
          }
        } else if (latest == null || appointment.startsAt().isAfter(latest.startsAt())) {
          latest = appointment;
        }
      }
      Appointment shown = next != null ? next : latest;
      return shown == null
          ? null
          : new AppointmentView(
              shown.startsAt(), shown.endsAt(), shown.addressRef(), shown.endsAt().isAfter(now));
    }
  }

  /** A quote without who wrote it or who decided it. */
  public record QuoteView(
      long id,
      String status,
      String currency,
      List<QuoteRequest.Line> lines,
      BigDecimal labour,
      int estimatedMinutes,
      BigDecimal total,
      Instant sentAt,
      Instant decidedAt) {

    static QuoteView of(Quote quote) {
      return new QuoteView(
          quote.id(),
          quote.status(),
          quote.currency(),
          quote.lines(),
          quote.labour(),
          quote.estimatedMinutes(),
          quote.total(),
          quote.createdAt(),
          quote.decidedAt());
    }
  }

  /** What is happening, for someone who has never seen a ticket. */
  static String inPlainWords(TicketStatus status, boolean quoteWaiting, boolean answered) {
    if (quoteWaiting) {
      return "We have sent you a cost estimate. The repair starts once you accept it.";
    }
    if (status == TicketStatus.RESOLVED && answered) {
      return "The repair is done. Thank you for your answer.";
    }
    return switch (status) {
      case OPEN -> "We have received your request and will contact you soon.";
      case ACKNOWLEDGED ->
          "A support technician has confirmed your request and is looking into it.";
      case DISPATCHED -> "A technician has been assigned to your repair.";
      case IN_PROGRESS -> "Your repair is under way.";
      case AWAITING_PARTS -> "Your repair is waiting for spare parts.";
      case RESOLVED -> "The repair is done. Please tell us whether everything works.";
      case CLOSED -> "Your case is closed. Thank you.";
      case CANCELLED -> "Your case was cancelled.";
      case ARCHIVED -> "Your case is closed and filed. Thank you.";
    };
  }
}
