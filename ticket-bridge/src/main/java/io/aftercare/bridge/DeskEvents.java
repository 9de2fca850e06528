package io.aftercare.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Writes the event of an incident or complaint change into the ticket outbox, in the change's own
 * transaction, as {@link Outbox} does for tickets: the row names its subject in {@code incident_id}
 * or {@code complaint_id}, and the delivery workers send it with the same retries, order per
 * subject and dead letters.
 */
final class DeskEvents {

  static final String INCIDENT_DECLARED = "incident.declared";
  static final String INCIDENT_UPDATED = "incident.updated";
  static final String INCIDENT_BREACHED = "incident.breached";
  static final String INCIDENT_CLOSED = "incident.closed";
  static final String COMPLAINT_RECEIVED = "complaint.received";
  static final String COMPLAINT_UPDATED = "complaint.updated";
  static final String COMPLAINT_BREACHED = "complaint.breached";
  static final String COMPLAINT_CLOSED = "complaint.closed";

  private DeskEvents() {}

  /**
   * @param snapshot the subject as it is now in this transaction, sent under the subject's name
   * @return the event id, which is also the webhook-id and idempotency key
   */
  static String append(
      Connection c, DeskSubject subject, long id, String type, Object snapshot, Instant now)
      throws SQLException {
    ObjectNode event = Outbox.newEvent(type, now);
    event.set(subject.eventName, BridgeJson.MAPPER.valueToTree(snapshot));
    return Outbox.insert(c, subject.idColumn, id, event, now);
  }
}
