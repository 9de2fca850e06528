package io.aftercare.bridge;

import java.util.List;

/**
 * Where the service desk keeps values sealed at rest, as {@link FieldSealing} converts them: the
 * customer references of cases (with the blind index the ticket list filters on, V96), complaints,
 * customer reports on cases' timelines (V97) and incidents' scope (V99); what customers and staff
 * wrote about a customer (V99); and the helpdesk events in the outbox (V98). Archived cases, their
 * appointments and the append-only records are converted too: their triggers let exactly this
 * change through (V96 to V99).
 */
public final class CaseFieldSealing {

  /**
   * The helpdesk events waiting in (or delivered from) the outbox: the whole payload, stored as a
   * jsonb string holding the sealed JSON; one written before V98 is the JSON object itself, whose
   * {@code #>> '{}'} text is its JSON.
   */
  private static final SealedField OUTBOX_PAYLOAD =
      new SealedField(
          "ticket_outbox.payload",
          "ticket_outbox",
          "id",
          "payload #>> '{}'",
          "true",
          "UPDATE ticket_outbox SET payload = to_jsonb(?::text) WHERE id = ?",
          false);

  /**
   * The customers an incident affects. The scope has no key column of its own (its key holds the
   * reference itself), so the conversion names each row by its ctid, stable while the row is
   * locked.
   */
  private static final SealedField INCIDENT_CUSTOMERS =
      SealedField.column("incident_scope", "ctid", "ref", "kind = 'customer'");

  private static final String CUSTOMER_REPORTS = "kind = 'customer_report'";

  private CaseFieldSealing() {}

  /** Every sealed field of the service desk's tables. */
  public static List<SealedField> fields() {
    return List.of(
        SealedField.indexedColumn("tickets", "id", "customer_ref", "customer_ref_index"),
        SealedField.column("tickets", "id", "symptom"),
        SealedField.column("complaints", "id", "customer_ref"),
        SealedField.column("complaints", "id", "text"),
        SealedField.column("complaints", "id", "response"),
        SealedField.column("complaints", "id", "resolution"),
        SealedField.column("complaints", "id", "confirmation_comment"),
        SealedField.column("complaint_entries", "id", "note"),
        SealedField.column("ticket_timeline", "id", "note", CUSTOMER_REPORTS),
        SealedField.jsonMember("ticket_timeline", "id", "detail", "customerRef", CUSTOMER_REPORTS),
        SealedField.jsonMember("ticket_timeline", "id", "detail", "symptom", CUSTOMER_REPORTS),
        SealedField.column("ticket_follow_up_attempts", "id", "note"),
        SealedField.column("ticket_appointments", "id", "address_ref"),
        INCIDENT_CUSTOMERS,
        OUTBOX_PAYLOAD);
  }
}
