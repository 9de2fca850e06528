-- Hourly rollup of telemetry: per device, metric and UTC hour the count, sum, min and max of the
-- values, so that the console's "30 days in 1 h buckets" reads 720 rows per metric instead of a
-- month of documents scattered over the whole table (bench's console-queries). On TimescaleDB it
-- is a plain table as well, maintained the same way (it plays a continuous aggregate's part).
--
-- It is maintained by TelemetryRollup in the background, never in the ingest transaction: the
-- writer only records which transaction wrote a document (xact_id, below), and the job
-- recomputes every (device, hour) written since its watermark wholly from the documents.
CREATE TABLE telemetry_hourly (
    device_id   text             NOT NULL,
    hour        timestamptz      NOT NULL,
    metric      text             NOT NULL,
    n           bigint           NOT NULL,
    sum         double precision NOT NULL,
    min         double precision NOT NULL,
    max         double precision NOT NULL,
    PRIMARY KEY (device_id, hour, metric)
);

-- The transaction that wrote (or last merged metrics into) a document, as a 64-bit transaction
-- id, which never wraps around. Added without a default first, so that existing documents are not
-- rewritten: they keep NULL and are rolled up by the job's backfill. A document's id is below the
-- xmin of any snapshot taken after its transaction ended, which is what makes the watermark safe
-- against transactions committing out of order. BRIN, not B-tree: ids grow with the table's
-- physical order, and a B-tree entry per document would cost ingest what V40 saved.
ALTER TABLE telemetry_documents ADD COLUMN xact_id bigint;
ALTER TABLE telemetry_documents ALTER COLUMN xact_id SET DEFAULT pg_current_xact_id()::text::bigint;
CREATE INDEX telemetry_documents_xact_brin ON telemetry_documents USING brin (xact_id);

CREATE TABLE telemetry_rollup_state (
    singleton       boolean     PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    -- Every document written by a transaction below this id is in the rollup.
    xact_watermark  bigint      NOT NULL,
    -- Hours before this are complete in the rollup for documents below the watermark (the hour in
    -- progress never is); NULL until the first round.
    covered_until   timestamptz,
    -- Documents from before this migration (xact_id NULL) are in the rollup for hours from here
    -- on; the backfill moves it back an hour range at a time, newest first.
    backfill_from   timestamptz NOT NULL,
    backfill_done   boolean     NOT NULL DEFAULT FALSE,
    -- When a round last finished with the backfill done: what the lag gauge measures from.
    caught_up_at    timestamptz
);

INSERT INTO telemetry_rollup_state (xact_watermark, backfill_from)
VALUES (pg_current_xact_id()::text::bigint, date_trunc('hour', now()) + INTERVAL '1 hour');
