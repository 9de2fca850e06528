-- The audit log becomes tamper-evident: every entry stores the hash of the previous entry's hash and
-- its own content, so that changing, removing or inserting an entry afterwards breaks the chain at
-- that entry (audit_log_verify finds it). The chain is computed here, in the insert trigger, under
-- the lock of the chain's one head row: concurrent inserts queue for it and never fork the chain.
-- Entries are chained in chain_seq order, which is commit order for the head; ids are taken earlier
-- (at DEFAULT time) and may interleave.

ALTER TABLE audit_log
    ADD COLUMN chain_seq bigint,
    ADD COLUMN prev_hash bytea,
    ADD COLUMN hash      bytea;

-- The last link: what the next entry chains onto, and how many entries the chain holds, so that
-- removing the newest entries is noticed too.
CREATE TABLE audit_chain_head (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq       bigint  NOT NULL,
    hash      bytea   NOT NULL
);
INSERT INTO audit_chain_head (seq, hash) VALUES (0, decode(repeat('00', 32), 'hex'));

-- The content hashed: every column but the chain's own, as a JSON array of strings (unambiguous,
-- and independent of the session's time zone: ts as epoch seconds).
CREATE FUNCTION audit_log_entry_hash(prev bytea, entry audit_log) RETURNS bytea
LANGUAGE sql IMMUTABLE SET search_path FROM CURRENT AS $$
    SELECT sha256(prev || convert_to(json_build_array(
        entry.chain_seq::text, entry.id::text, extract(epoch FROM entry.ts)::text, entry.actor,
        entry.action, entry.target, entry.outcome, entry.remote_address, entry.detail::text)::text,
        'UTF8'))
$$;

-- SECURITY DEFINER: the chain head belongs to the audit log's owner, not to whoever inserts.
CREATE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    head audit_chain_head;
BEGIN
    SELECT * INTO head FROM audit_chain_head FOR UPDATE;
    NEW.chain_seq := head.seq + 1;
    NEW.prev_hash := head.hash;
    NEW.hash := audit_log_entry_hash(NEW.prev_hash, NEW);
    UPDATE audit_chain_head SET seq = NEW.chain_seq, hash = NEW.hash;
    RETURN NEW;
END;
$$;

-- The entries written before this version join the chain in id order.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
DO $$
DECLARE
    entry audit_log;
    prev  bytea := decode(repeat('00', 32), 'hex');
    n     bigint := 0;
BEGIN
    FOR entry IN SELECT * FROM audit_log ORDER BY id LOOP
        n := n + 1;
        entry.chain_seq := n;
        entry.prev_hash := prev;
        prev := audit_log_entry_hash(entry.prev_hash, entry);
        UPDATE audit_log SET chain_seq = n, prev_hash = entry.prev_hash, hash = prev
            WHERE id = entry.id;
    END LOOP;
    UPDATE audit_chain_head SET seq = n, hash = prev;
END;
$$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;

ALTER TABLE audit_log
    ALTER COLUMN chain_seq SET NOT NULL,
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain_seq);

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
-- TRUNCATE fires no row trigger: refused by a statement trigger (which binds superusers too).
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
-- No role, the owner included, keeps the privilege to change history (the owner could grant it
-- back: on the embedded database the platform's role is therefore not the owner).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;
REVOKE ALL ON audit_chain_head FROM PUBLIC;

-- The first broken link, in chain order, or none. Each entry must hash to its stored hash, chain
-- onto the previous entry's hash and follow it in sequence; the newest entry must be the head.
-- reason: 'altered' (content or hash changed), 'unlinked' (an entry before it was removed, altered
-- with its hash recomputed, or inserted), 'truncated' (the newest entries are gone; broken_seq is
-- the first missing one).
CREATE FUNCTION audit_log_verify(
    OUT checked bigint, OUT broken_id bigint, OUT broken_seq bigint, OUT reason text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    head audit_chain_head;
    last_seq bigint;
    last_hash bytea;
BEGIN
    SELECT count(*) INTO checked FROM audit_log;
    SELECT c.id, c.chain_seq, CASE WHEN NOT c.sealed THEN 'altered' ELSE 'unlinked' END
        INTO broken_id, broken_seq, reason
        FROM (
            SELECT a.id, a.chain_seq,
                coalesce(a.hash = audit_log_entry_hash(a.prev_hash, a), false) AS sealed,
                coalesce(a.prev_hash = coalesce(lag(a.hash) OVER w, decode(repeat('00', 32), 'hex'))
                    AND a.chain_seq = coalesce(lag(a.chain_seq) OVER w, 0) + 1, false) AS linked
            FROM audit_log a
            WINDOW w AS (ORDER BY a.chain_seq)
        ) c
        WHERE NOT (c.sealed AND c.linked)
        ORDER BY c.chain_seq
        LIMIT 1;
    IF broken_seq IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT * INTO head FROM audit_chain_head;
    SELECT a.chain_seq, a.hash INTO last_seq, last_hash FROM audit_log a
        ORDER BY a.chain_seq DESC LIMIT 1;
    IF coalesce(last_seq, 0) <> head.seq
        OR last_hash IS DISTINCT FROM (CASE WHEN head.seq = 0 THEN NULL ELSE head.hash END) THEN
        broken_seq := coalesce(last_seq, 0) + 1;
        reason := 'truncated';
    END IF;
END;
$$;
