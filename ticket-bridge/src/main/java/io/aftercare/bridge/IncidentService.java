package io.aftercare.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What staff do with incidents once declared, as blocking calls for worker threads: list, read
 * (with clocks, linked tickets and timeline), move through the states, write the post-incident
 * review and link tickets (docs/incidents.md). Authorization is the caller's job; the actor named
 * here is recorded on the timeline, and {@code alsoCommit} (e.g. the audit entry) runs in the same
 * transaction.
 */
public final class IncidentService {

  private final Tx tx;
  private final Clock clock;
  private final IncidentClocks clocks;

  IncidentService(Tx tx, Clock clock, IncidentClocks clocks) {
    this.tx = tx;
    this.clock = clock;
    this.clocks = clocks;
  }

  /**
   * Incidents newest first; a null filter means any. Unknown names are refused.
   *
   * @param origin {@code declared} (by staff) or {@code detected} (by the diagnostics engine)
   */
  public List<Incident> list(String status, String level, String origin, int limit) {
    IncidentStatus byStatus = status == null ? null : IncidentStatus.fromWireName(status, "status");
    IncidentLevel byLevel = level == null ? null : IncidentLevel.fromWireName(level);
    if (origin != null && !origin.equals("declared") && !origin.equals(DetectedIncidents.ORIGIN)) {
      throw new BridgeException(
          BridgeException.Kind.INVALID,
          "'origin' must be declared or detected, not '" + origin + "'");
    }
    return tx.run(c -> IncidentStore.list(c, byStatus, byLevel, origin, limit));
  }

  public Optional<IncidentDetail> find(long id) {
    return tx.run(c -> detail(c, id, clock.instant()));
  }

  /**
   * Moves the incident one step on: {@code responded}, {@code handling}, {@code resolved} or {@code
   * closed}, each only from the state before it; closing needs the review (409 otherwise).
   */
  public IncidentDetail transition(
      long id, String to, String note, String actor, InTransaction alsoCommit) {
    IncidentStatus target = IncidentStatus.fromWireName(to, "to");
    String text = DeskText.optional(note, "note", IncidentReview.MAX_TEXT);
    return tx.run(
        c -> {
          Instant now = clock.instant();
          Incident incident = locked(c, id);
          if (target != incident.status().next()) {
            throw new BridgeException(
                BridgeException.Kind.CONFLICT,
                "an incident that is "
                    + incident.status().wireName()
                    + " cannot become "
                    + target.wireName());
          }
          if (target == IncidentStatus.CLOSED && incident.review() == null) {
            throw new BridgeException(
                BridgeException.Kind.CONFLICT,
                "closing needs the post-incident review ('review') first");
          }
          IncidentStore.move(c, id, target, stampColumn(target), now);
          ObjectNode detail = BridgeJson.MAPPER.createObjectNode();
          detail.put("from", incident.status().wireName());
          detail.put("to", target.wireName());
          DeskLog.append(c, DeskSubject.INCIDENT, id, now, actor, "transition", text, detail);
          alsoCommit.run(c);
          return changed(
              c,
              id,
              target == IncidentStatus.CLOSED
                  ? DeskEvents.INCIDENT_CLOSED
                  : DeskEvents.INCIDENT_UPDATED,
              now);
        });
  }

  /** Records the post-incident review, once, when the incident is resolved (409 otherwise). */
  public IncidentDetail review(
      long id, IncidentReview review, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Instant now = clock.instant();
          Incident incident = locked(c, id);
          if (incident.status() != IncidentStatus.RESOLVED) {
            throw new BridgeException(
                BridgeException.Kind.CONFLICT,
                "the review is written once the incident is resolved; it is "
                    + incident.status().wireName());
          }
          if (incident.review() != null) {
            throw new BridgeException(
                BridgeException.Kind.CONFLICT, "the incident already has its review");
          }
          IncidentStore.review(c, id, review, actor, now);
          DeskLog.append(
              c,
              DeskSubject.INCIDENT,
              id,
              now,
              actor,
              "review",
              "post-incident review written",
              BridgeJson.MAPPER.valueToTree(review));
          alsoCommit.run(c);
          return changed(c, id, DeskEvents.INCIDENT_UPDATED, now);
        });
  }

  /**
   * Links a ticket to the incident; linking it again is a no-op, and a ticket of another incident
   * is refused (409).
   */
  public IncidentDetail linkTicket(long id, Long ticketId, String actor, InTransaction alsoCommit) {
    if (ticketId == null) {
      throw new BridgeException(BridgeException.Kind.INVALID, "'ticketId' is required");
    }
    return tx.run(
        c -> {
          Instant now = clock.instant();
          Incident incident = locked(c, id);
          if (incident.status() == IncidentStatus.CLOSED) {
            throw new BridgeException(
                BridgeException.Kind.CONFLICT, "the incident is closed: no ticket joins it");
          }
          TicketStore.load(c, ticketId, true)
              .orElseThrow(
                  () ->
                      new BridgeException(
                          BridgeException.Kind.NOT_FOUND,
                          "'ticketId' names no ticket: " + ticketId));
          Optional<Long> current = IncidentStore.incidentOf(c, ticketId);
          if (current.isPresent()) {
            if (current.get() == id) {
              return detail(c, id, now).orElseThrow();
            }
            throw new BridgeException(
                BridgeException.Kind.CONFLICT,
                "ticket " + ticketId + " belongs to incident " + current.get());
          }
          IncidentStore.link(c, id, ticketId, actor, now);
          ObjectNode detail = BridgeJson.MAPPER.createObjectNode();
          detail.put("ticketId", ticketId);
          DeskLog.append(
              c,
              DeskSubject.INCIDENT,
              id,
              now,
              actor,
              "ticket_linked",
              "ticket " + ticketId + " linked",
              detail);
          ObjectNode onTicket = BridgeJson.MAPPER.createObjectNode();
          onTicket.put("incidentId", id);
          TicketStore.appendTimeline(
              c,
              ticketId,
              now,
              actor,
              "incident_linked",
              null,
              null,
              "part of incident " + id,
              onTicket);
          alsoCommit.run(c);
          return changed(c, id, DeskEvents.INCIDENT_UPDATED, now);
        });
  }

  /** Writes the event of a change and answers the incident as it is now. */
  IncidentDetail changed(Connection c, long id, String eventType, Instant now) throws SQLException {
    Incident incident = IncidentStore.load(c, id, false).orElseThrow();
    DeskEvents.append(c, DeskSubject.INCIDENT, id, eventType, incident, now);
    return detail(c, id, now).orElseThrow();
  }

  Optional<IncidentDetail> detail(Connection c, long id, Instant now) throws SQLException {
    Optional<Incident> incident = IncidentStore.load(c, id, false);
    if (incident.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new IncidentDetail(
            incident.get(),
            clocks.compute(incident.get(), now),
            IncidentStore.ticketIds(c, id),
            DeskLog.read(c, DeskSubject.INCIDENT, id)));
  }

  private static Incident locked(Connection c, long id) throws SQLException {
    return IncidentStore.load(c, id, true)
        .orElseThrow(() -> new BridgeException(BridgeException.Kind.NOT_FOUND, "no such incident"));
  }

  static String stampColumn(IncidentStatus to) {
    return switch (to) {
      case RESPONDED -> "responded_at";
      case HANDLING -> "first_handled_at";
      case RESOLVED -> "resolved_at";
      case CLOSED -> "closed_at";
      case DECLARED -> throw new IllegalArgumentException("an incident is declared only once");
    };
  }
}
