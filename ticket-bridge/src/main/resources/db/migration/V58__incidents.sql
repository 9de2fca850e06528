-- Incidents (docs/incidents.md): an emergency spanning many devices or customers, graded in four
-- levels, with three clocks from its declaration (response, first handling, loop closed) and a
-- post-incident review required before it closes. The *_warned_at / *_breached_at marks record
-- each clock's warning and breach once, as the ticket columns of the same names do.
CREATE TABLE incidents (
    id                   bigserial   PRIMARY KEY,
    level                text        NOT NULL
        CHECK (level IN ('general', 'significant', 'major', 'especially_major')),
    title                text        NOT NULL CHECK (length(title) <= 200),
    description          text        NOT NULL CHECK (length(description) <= 4000),
    status               text        NOT NULL
        CHECK (status IN ('declared', 'responded', 'handling', 'resolved', 'closed')),
    -- Support line working the incident: 1 first, 2 second, 3 third; raised by each breach.
    tier                 int         NOT NULL DEFAULT 1 CHECK (tier BETWEEN 1 AND 3),
    declared_by          text        NOT NULL,
    declared_at          timestamptz NOT NULL,
    responded_at         timestamptz,
    first_handled_at     timestamptz,
    resolved_at          timestamptz,
    closed_at            timestamptz,
    review_summary       text        CHECK (length(review_summary) <= 4000),
    review_root_cause    text        CHECK (length(review_root_cause) <= 4000),
    review_actions       text        CHECK (length(review_actions) <= 4000),
    reviewed_by          text,
    reviewed_at          timestamptz,
    updated_at           timestamptz NOT NULL,
    response_warned_at   timestamptz,
    response_breached_at timestamptz,
    handling_warned_at   timestamptz,
    handling_breached_at timestamptz,
    closure_warned_at    timestamptz,
    closure_breached_at  timestamptz,
    CONSTRAINT incidents_closed_after_review CHECK (closed_at IS NULL OR reviewed_at IS NOT NULL)
);
CREATE INDEX incidents_status ON incidents (status);

-- What the incident affects: references to devices and to customers (never personal data).
CREATE TABLE incident_scope (
    incident_id bigint NOT NULL REFERENCES incidents (id),
    kind        text   NOT NULL CHECK (kind IN ('device', 'customer')),
    ref         text   NOT NULL CHECK (length(ref) <= 200),
    PRIMARY KEY (incident_id, kind, ref)
);

-- Tickets that belong to an incident; a ticket belongs to one incident at most.
CREATE TABLE incident_tickets (
    ticket_id   bigint      PRIMARY KEY REFERENCES tickets (id),
    incident_id bigint      NOT NULL REFERENCES incidents (id),
    linked_by   text        NOT NULL,
    linked_at   timestamptz NOT NULL
);
CREATE INDEX incident_tickets_incident ON incident_tickets (incident_id, ticket_id);

-- The incident's append-only record: declaration, transitions, review, links, clock steps.
CREATE TABLE incident_timeline (
    id          bigserial   PRIMARY KEY,
    incident_id bigint      NOT NULL REFERENCES incidents (id),
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('declared', 'transition', 'review',
                    'ticket_linked', 'sla_warning', 'sla_breach', 'escalation')),
    note        text,
    detail      jsonb
);
CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, id);
-- One trigger function for the service desk's append-only records, naming the table it guards.
CREATE FUNCTION desk_record_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER incident_timeline_append_only BEFORE UPDATE OR DELETE ON incident_timeline
    FOR EACH ROW EXECUTE FUNCTION desk_record_is_append_only();

-- The ticket's own timeline shows that it joined an incident.
INSERT INTO ticket_timeline_kinds (kind) VALUES ('incident_linked') ON CONFLICT (kind) DO NOTHING;

-- Incident events go through the same outbox, retries and dead letters as ticket events: an
-- event belongs to a ticket or to an incident, and is delivered in order per subject.
ALTER TABLE ticket_outbox ALTER COLUMN ticket_id DROP NOT NULL;
ALTER TABLE ticket_outbox ADD COLUMN incident_id bigint REFERENCES incidents (id);
ALTER TABLE ticket_outbox ADD CONSTRAINT ticket_outbox_one_subject
    CHECK (num_nonnulls(ticket_id, incident_id) = 1);
CREATE INDEX ticket_outbox_incident ON ticket_outbox (incident_id, id) WHERE incident_id IS NOT NULL;
