-- The hourly rollup (V85) adds each round's new documents to their hours instead of recomputing
-- every hour a round touched from all of its documents. Recomputing read the whole hour in
-- progress of every active device every round, so a round's work grew with the hour: at 30,000
-- messages/s from 1,000 devices a round took 2 to 6 s of the database's CPU 40 s into an empty
-- hour, and would never have caught up by its end.
--
-- Adding is right only for documents counted nowhere yet. A document changed after it was written
-- (a redelivery merging metrics into it, presence retention stripping some) may have been counted
-- in its old form, so its hour is still recomputed wholly. This trigger marks such documents,
-- whatever statement changes them, and stamps them with the changing transaction so that the next
-- round finds them; COPY and plain inserts do not fire it.
-- Nullable, without a default: adding it rewrites no existing row (nor compressed chunk).
ALTER TABLE telemetry_documents ADD COLUMN rewritten boolean;

CREATE FUNCTION telemetry_document_rewritten() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.rewritten := TRUE;
    NEW.xact_id := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END
$$;

CREATE TRIGGER telemetry_document_rewritten BEFORE UPDATE ON telemetry_documents
    FOR EACH ROW EXECUTE FUNCTION telemetry_document_rewritten();
