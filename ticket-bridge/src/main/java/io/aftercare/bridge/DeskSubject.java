package io.aftercare.bridge;

/**
 * The service-desk records beside tickets that have their own clocks, append-only record and outbox
 * events: incidents and complaints. The names are fixed SQL identifiers, never input.
 */
enum DeskSubject {
  INCIDENT("incidents", "incident_timeline", "incident_id", "incident", false),
  COMPLAINT("complaints", "complaint_entries", "complaint_id", "complaint", true);

  /** The subject's table. */
  final String table;

  /** Its append-only record. */
  final String entries;

  /** The column naming it in {@code entries} and in {@code ticket_outbox}. */
  final String idColumn;

  /** The prefix of its event types and the payload field holding its snapshot. */
  final String eventName;

  /**
   * Whether the notes of its record are sealed at rest: a complaint's are what staff wrote about a
   * customer (docs/privacy.md, V99); an incident's are about the fleet.
   */
  final boolean notesSealed;

  DeskSubject(
      String table, String entries, String idColumn, String eventName, boolean notesSealed) {
    this.table = table;
    this.entries = entries;
    this.idColumn = idColumn;
    this.eventName = eventName;
    this.notesSealed = notesSealed;
  }
}
