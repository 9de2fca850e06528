package io.aftercare.bridge;

import java.util.List;

/**
 * Where the service desk keeps values sealed at rest, as {@link FieldSealing} converts them: the
 * customer references of cases (with the blind index the ticket list filters on, V96), of
 * complaints, and of customer reports on cases' timelines (V97), and the helpdesk events in the
 * outbox (V98). Archived cases and the append-only timeline are converted too: their triggers let
 * exactly this change through (V96, V97, V98).
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

  private CaseFieldSealing() {}

  /** Every sealed field of the service desk's tables. */
  public static List<SealedField> fields() {
    return List.of(
        SealedField.indexedColumn("tickets", "id", "customer_ref", "customer_ref_index"),
        SealedField.column("complaints", "id", "customer_ref"),
        SealedField.jsonMember(
            "ticket_timeline", "id", "detail", "customerRef", "kind = 'customer_report'"),
        OUTBOX_PAYLOAD);
  }
}
