package io.aftercare.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What staff do with complaints, as blocking calls for worker threads (docs/complaints.md): record
 * one (the recorder owns it), answer the customer (stops the 24 h clock), add investigation notes,
 * resolve, and record the customer's confirmation. Authorization is the caller's job; {@code
 * alsoCommit} (e.g. the audit entry) runs in the same transaction.
 */
public final class ComplaintService {

  private final Tx tx;
  private final Clock clock;
  private final ComplaintClock responseClock;

  ComplaintService(Tx tx, Clock clock, ComplaintClock responseClock) {
    this.tx = tx;
    this.clock = clock;
    this.responseClock = responseClock;
  }

  /** Complaints newest first; a null filter means any. */
  public List<Complaint> list(String status, Long ticketId, int limit) {
    ComplaintStatus byStatus = status == null ? null : ComplaintStatus.fromWireName(status);
    return tx.run(c -> ComplaintStore.list(c, byStatus, ticketId, limit));
  }

  public Optional<ComplaintDetail> find(long id) {
    return tx.run(c -> detail(c, id, clock.instant()));
  }

  /**
   * Records a complaint; its response clock starts now. A complaint about a case names an existing
   * ticket (404 naming {@code ticketId} otherwise) and takes its customer unless given one.
   */
  public ComplaintDetail file(ComplaintFiling filing, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          String customerRef = filing.customerRef();
          boolean archived = false;
          if (filing.ticketId() != null) {
            Ticket ticket =
                TicketStore.load(c, filing.ticketId(), false)
                    .orElseThrow(
                        () ->
                            new BridgeException(
                                BridgeException.Kind.NOT_FOUND,
                                "'ticketId' names no ticket: " + filing.ticketId()));
            customerRef = customerRef == null ? ticket.customerRef() : customerRef;
            archived = ticket.status() == TicketStatus.ARCHIVED;
          }
          long id = ComplaintStore.insert(c, filing, customerRef, actor, now);
          ObjectNode detail = BridgeJson.MAPPER.createObjectNode();
          detail.put("channel", filing.channel());
          DeskLog.append(
              c, DeskSubject.COMPLAINT, id, now, actor, "received", filing.text(), detail);
          // A complaint about an archived case is recorded and names the case, but the archived
          // case itself is never changed again: its timeline gets no line.
          if (filing.ticketId() != null && !archived) {
            ObjectNode onTicket = BridgeJson.MAPPER.createObjectNode();
            onTicket.put("complaintId", id);
            TicketStore.appendTimeline(
                c,
                filing.ticketId(),
                now,
                actor,
                "complaint_filed",
                null,
                null,
                "complaint " + id + " filed about this case",
                onTicket);
          }
          alsoCommit.run(c);
          return changed(c, id, DeskEvents.COMPLAINT_RECEIVED, now);
        });
  }

  /** The answer to the customer, once, while the complaint is received: stops the clock. */
  public ComplaintDetail respond(long id, String text, String actor, InTransaction alsoCommit) {
    String response = DeskText.required(text, "text", ComplaintFiling.MAX_TEXT);
    return change(
        id,
        alsoCommit,
        (c, complaint, now) -> {
          expect(complaint, ComplaintStatus.RECEIVED, "answered");
          ComplaintStore.respond(c, id, response, actor, now);
          DeskLog.append(c, DeskSubject.COMPLAINT, id, now, actor, "response", response, null);
          return DeskEvents.COMPLAINT_UPDATED;
        });
  }

  /** An investigation note, appended; the record is never edited. Closed complaints take none. */
  public ComplaintDetail note(long id, String text, String actor, InTransaction alsoCommit) {
    String note = DeskText.required(text, "text", ComplaintFiling.MAX_TEXT);
    return change(
        id,
        alsoCommit,
        (c, complaint, now) -> {
          if (complaint.status() == ComplaintStatus.CLOSED) {
            throw new BridgeException(
                BridgeException.Kind.CONFLICT, "the complaint is closed: no more notes");
          }
          DeskLog.append(c, DeskSubject.COMPLAINT, id, now, actor, "note", note, null);
          return DeskEvents.COMPLAINT_UPDATED;
        });
  }

  /** The resolution, once the customer has been answered (409 before). */
  public ComplaintDetail resolve(long id, String text, String actor, InTransaction alsoCommit) {
    String resolution = DeskText.required(text, "resolution", ComplaintFiling.MAX_TEXT);
    return change(
        id,
        alsoCommit,
        (c, complaint, now) -> {
          expect(complaint, ComplaintStatus.RESPONDED, "resolved");
          ComplaintStore.resolve(c, id, resolution, actor, now);
          DeskLog.append(c, DeskSubject.COMPLAINT, id, now, actor, "resolution", resolution, null);
          return DeskEvents.COMPLAINT_UPDATED;
        });
  }

  /**
   * The customer's answer to the resolution, as staff recorded it: confirmed closes the complaint;
   * not confirmed sends it back to {@code responded} for more investigation.
   */
  public ComplaintDetail confirm(
      long id, Boolean confirmed, String comment, String actor, InTransaction alsoCommit) {
    if (confirmed == null) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'confirmed' is required");
    }
    String text = DeskText.optional(comment, "comment", ComplaintFiling.MAX_TEXT);
    return change(
        id,
        alsoCommit,
        (c, complaint, now) -> {
          expect(complaint, ComplaintStatus.RESOLVED, "confirmed");
          ComplaintStore.confirm(c, id, confirmed, text, actor, now);
          ObjectNode detail = BridgeJson.MAPPER.createObjectNode();
          detail.put("confirmed", confirmed);
          DeskLog.append(c, DeskSubject.COMPLAINT, id, now, actor, "confirmation", text, detail);
          return confirmed ? DeskEvents.COMPLAINT_CLOSED : DeskEvents.COMPLAINT_UPDATED;
        });
  }

  /** One step on an existing complaint, under its row lock, with {@code alsoCommit} and event. */
  private ComplaintDetail change(long id, InTransaction alsoCommit, Step step) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          String eventType = step.apply(c, locked(c, id), now);
          alsoCommit.run(c);
          return changed(c, id, eventType, now);
        });
  }

  /** Checks and records the step on the locked complaint; returns the event type to send. */
  @FunctionalInterface
  private interface Step {
    String apply(Connection c, Complaint complaint, Instant now) throws SQLException;
  }

  private ComplaintDetail changed(Connection c, long id, String eventType, Instant now)
      throws SQLException {
    Complaint complaint = ComplaintStore.load(c, id, false).orElseThrow();
    DeskEvents.append(c, DeskSubject.COMPLAINT, id, eventType, complaint, now);
    return detail(c, id, now).orElseThrow();
  }

  private Optional<ComplaintDetail> detail(Connection c, long id, Instant now) throws SQLException {
    Optional<Complaint> complaint = ComplaintStore.load(c, id, false);
    if (complaint.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ComplaintDetail(
            complaint.get(),
            responseClock.measure(complaint.get(), now),
            DeskLog.read(c, DeskSubject.COMPLAINT, id)));
  }

  private static Complaint locked(Connection c, long id) throws SQLException {
    return ComplaintStore.load(c, id, true)
        .orElseThrow(
            () -> new BridgeException(BridgeException.Kind.NOT_FOUND, "no such complaint"));
  }

  private static void expect(Complaint complaint, ComplaintStatus status, String step) {
    if (complaint.status() != status) {
      throw new BridgeException(
          BridgeException.Kind.CONFLICT,
          "a complaint is "
              + step
              + " when it is "
              + status.wireName()
              + "; this one is "
              + complaint.status().wireName());
    }
  }
}
