-- The ticket queue by SLA urgency (GET /api/v1/tickets?sort=sla): each ticket stores the earliest
-- due time of its running SLA clocks and which clock that is. The clocks are computed from the
-- timeline (SlaClocks); a running clock's due time stays fixed until the timeline changes, so the
-- stored value is exact as long as it is recomputed with every timeline entry. The triggers below
-- mark a ticket stale when its timeline grows or its status changes; the bridge recomputes stale
-- tickets before its transaction commits (SlaDeadlines), and every open ticket when it starts
-- (targets or the calendar may have changed in the configuration). A closed, cancelled or
-- archived case runs no clock: the status trigger clears it at once.
ALTER TABLE tickets
    ADD COLUMN next_deadline timestamptz,
    ADD COLUMN next_clock    text CHECK (next_clock IN ('response', 'arrangement', 'repair')),
    ADD COLUMN sla_stale     boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT tickets_next_clock_with_deadline
        CHECK ((next_clock IS NULL) = (next_deadline IS NULL));
-- Archived rows refuse updates (V66), and need none: they start clear and not stale.
UPDATE tickets SET sla_stale = true WHERE status NOT IN ('closed', 'cancelled', 'archived');
ALTER TABLE tickets ALTER COLUMN sla_stale SET DEFAULT true;

CREATE INDEX tickets_sla_stale ON tickets (id) WHERE sla_stale;

-- The queue's order: earliest deadline first, tickets with no running clock last ('infinity'),
-- ties by id; over open tickets only, so a page is a range scan of this index. The expression and
-- the predicate match TicketStore's query exactly.
CREATE INDEX tickets_sla_queue ON tickets ((coalesce(next_deadline, 'infinity'::timestamptz)), id)
    WHERE status NOT IN ('resolved', 'closed', 'cancelled', 'archived');

CREATE FUNCTION ticket_timeline_marks_sla_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tickets SET sla_stale = true
        WHERE id = NEW.ticket_id AND NOT sla_stale AND status NOT IN ('closed', 'cancelled', 'archived');
    RETURN NULL;
END;
$$;
CREATE TRIGGER ticket_timeline_sla_stale AFTER INSERT ON ticket_timeline
    FOR EACH ROW EXECUTE FUNCTION ticket_timeline_marks_sla_stale();

CREATE FUNCTION tickets_status_marks_sla_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('closed', 'cancelled', 'archived') THEN
        NEW.next_deadline := NULL;
        NEW.next_clock := NULL;
        NEW.sla_stale := false;
    ELSE
        NEW.sla_stale := true;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER tickets_sla_stale_on_status BEFORE UPDATE OF status ON tickets
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION tickets_status_marks_sla_stale();
