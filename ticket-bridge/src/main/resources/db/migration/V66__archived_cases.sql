-- Archive (docs/retention.md): a closed or cancelled case is filed away as `archived` after
-- tickets.archiveAfter. The status says it is archived; archived_from keeps its outcome (closed or
-- cancelled) and archived_at when it was filed. An archived case is never edited: triggers refuse
-- changes to its row, its timeline and its linked alarms (the application refuses them first).
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check CHECK (status IN ('open', 'acknowledged',
    'dispatched', 'in_progress', 'awaiting_parts', 'resolved', 'closed', 'cancelled', 'archived'));
ALTER TABLE tickets ADD COLUMN archived_at timestamptz;
ALTER TABLE tickets ADD COLUMN archived_from text CHECK (archived_from IN ('closed', 'cancelled'));
ALTER TABLE tickets ADD CONSTRAINT tickets_archived_fields CHECK (
    (status = 'archived') = (archived_at IS NOT NULL AND archived_from IS NOT NULL));

-- An archived case is no live fault: it must not stop a new ticket for the same (device, rule).
DROP INDEX tickets_one_live_per_fault;
CREATE UNIQUE INDEX tickets_one_live_per_fault ON tickets (device_id, rule_id)
    WHERE status NOT IN ('resolved', 'closed', 'cancelled', 'archived');

INSERT INTO ticket_timeline_kinds (kind) VALUES ('archived') ON CONFLICT (kind) DO NOTHING;

-- SQLSTATE AC409: the bridge answers it as a conflict (409), whichever write path hit it.
CREATE FUNCTION tickets_archived_are_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'archived' THEN
        RAISE EXCEPTION 'ticket % is archived and can no longer change', OLD.id
            USING ERRCODE = 'AC409';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER tickets_archived_frozen BEFORE UPDATE OR DELETE ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_archived_are_frozen();

-- Rows that belong to a ticket (its timeline, its linked alarms): none is added to or changed on
-- an archived ticket. (The timeline is append-only already; this also refuses appends.)
CREATE FUNCTION ticket_rows_of_archived_are_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ticket bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.ticket_id ELSE NEW.ticket_id END;
BEGIN
    IF EXISTS (SELECT 1 FROM tickets WHERE id = ticket AND status = 'archived') THEN
        RAISE EXCEPTION 'ticket % is archived: % on % refused', ticket, TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'AC409';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER ticket_timeline_archived_frozen BEFORE INSERT ON ticket_timeline
    FOR EACH ROW EXECUTE FUNCTION ticket_rows_of_archived_are_frozen();
CREATE TRIGGER ticket_alarms_archived_frozen BEFORE INSERT OR UPDATE OR DELETE ON ticket_alarms
    FOR EACH ROW EXECUTE FUNCTION ticket_rows_of_archived_are_frozen();

-- The archive job looks for ended cases; the retention job for old delivered events.
CREATE INDEX tickets_ended ON tickets (updated_at) WHERE status IN ('closed', 'cancelled');
CREATE INDEX ticket_outbox_delivered ON ticket_outbox (delivered_at) WHERE status = 'delivered';
