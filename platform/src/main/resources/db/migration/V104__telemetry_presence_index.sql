-- Presence metrics (presence*, occupancy*, motion*: who is home; docs/privacy.md) are kept a
-- shorter time than other telemetry: an hourly job (PresenceRetention) strips them from documents
-- older than database.presenceRetainFor. Telemetry is stored as whole documents, so this is a
-- rewrite of the documents holding such metrics, not a delete. This partial index lists exactly
-- those documents by time, so the job never scans the others; it holds an entry only for a
-- document with a presence metric, so ingest pays nothing for the rest, and a document leaves it
-- once stripped. The predicate is PresenceRetention.HOLDS_PRESENCE, word for word.
CREATE INDEX telemetry_documents_presence ON telemetry_documents (ts)
    WHERE jsonb_path_exists(metrics, '$.keyvalue() ? (@.key starts with "presence" || @.key starts with "occupancy" || @.key starts with "motion")');
