-- Presence metrics (presence*, occupancy*, motion*: who is home; docs/privacy.md) are kept a
-- shorter time than other telemetry: an hourly job (PresenceRetention) strips them from documents
-- older than database.presenceRetainFor. Telemetry is stored as whole documents, so this is a
-- rewrite of the documents holding such metrics, not a delete. No index marks those documents (a
-- predicate index would cost every ingested document a JSON path check); instead the job walks the
-- hours as they come of age, each read once through the BRIN index on time, and catches documents
-- that arrive late with an old time through the BRIN index on their transaction id, as the
-- telemetry rollup does (V85). This row is where it stands.
CREATE TABLE presence_retention_state (
    singleton       boolean     PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    -- Documents before this time hold no presence metric, but for those written by transactions
    -- from xact_watermark on; NULL until the first round, which starts at the oldest document.
    stripped_until  timestamptz,
    xact_watermark  bigint      NOT NULL
);
INSERT INTO presence_retention_state (xact_watermark) VALUES (pg_current_xact_id()::text::bigint);
